import Foundation

extension ReportHTML {
    // MARK: - Style

    static func style(_ report: MonthlyReport) -> String {
        self.style(
            running: "\(ReportText.scopeTitle(report)) · \(ReportText.monthName(report.period))" + (report.provisional ? " · SEMENTARA" : ""))
    }

    /// The reports' one style sheet; `running` is the printed pages' footer line.
    static func style(running: String) -> String {
        """
            @page { size: A4; margin: 12mm 11mm 14mm;
              @bottom-left { content: "\(self.cssString(running))"; font: 7.5pt Arial, sans-serif; color: #5a6877; }
              @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font: 7.5pt Arial, sans-serif; color: #5a6877; } }
            @page wide { size: A4 landscape; }
            :root { --ink: #17222e; --dim: #5a6877; --rule: #d5dce4; --navy: #1f3a5f; --accent: #0e7490; --zebra: #f2f5f8; --track: #e3e8ee;
              --good: #1c7a43; --near: #9a5b00; --bad: #b42318; --good-bar: #3a9a5f; --near-bar: #dd9a2b; --bad-bar: #cf4a3c; }
            html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            body { margin: 0; background: #e9edf2; color: var(--ink); font: 15px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto,
              "Helvetica Neue", Arial, "Liberation Sans", "Noto Sans", system-ui, sans-serif; }
            main { max-width: 1100px; margin: 0 auto; background: #fff; padding: 0 36px 32px; } section { margin-top: 26px; }
            h2 { font-size: 1.15em; color: var(--navy); margin: 0 0 10px; padding-bottom: 4px; border-bottom: 2px solid; }
            h2, .legend { break-after: avoid; }
            .masthead { display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; background: var(--navy);
              color: #fff; margin: 0 -36px; padding: 22px 36px 18px; border-bottom: 4px solid var(--accent); }
            .kicker { margin: 0; font-size: .8em; letter-spacing: .06em; text-transform: uppercase; opacity: .85; }
            h1 { margin: 4px 0 0; font-size: 1.9em; line-height: 1.15; } .month { margin: 2px 0 0; font-size: 1.35em; }
            .goal { text-align: right; font-size: .8em; white-space: nowrap; } .goal strong { display: block; font-size: 1.8em; }
            .provisional { margin: 14px 0 0; padding: 10px 14px; background: #fff4d6; border: 2px solid #c98a00; border-radius: 6px; }
            .provisional strong { background: var(--near); color: #fff; padding: 2px 8px; border-radius: 4px; margin-right: 8px; }
            .watermark { position: fixed; top: 42%; left: 0; right: 0; text-align: center; font-size: 110px; font-weight: 800; z-index: 10;
              letter-spacing: .1em; color: rgba(154, 91, 0, .07); transform: rotate(-28deg); pointer-events: none; }
            .provenance { color: var(--dim); font-size: .8em; margin: 8px 0 0; }
            .tiles { display: grid; grid-template-columns: repeat(7, 1fr); gap: 10px; }
            .tile { border: 1px solid var(--rule); border-top: 4px solid var(--navy); border-radius: 6px; padding: 10px 12px; }
            .tile .label { font-size: .78em; color: var(--dim); font-weight: 600; min-height: 2.5em; }
            .tile .value { font-size: 1.9em; font-weight: 700; line-height: 1.15; color: var(--navy); }
            .value.good { color: var(--good); } .value.near { color: var(--near); } .value.bad { color: var(--bad); }
            .tile .note, .tile .was { font-size: .75em; color: var(--dim); }
            .tile .change { font-size: .8em; display: block; margin-top: 4px; }
            .meter { position: relative; height: 7px; background: var(--track); border-radius: 4px; margin: 6px 0 2px; }
            .meter span { position: absolute; left: 0; top: 0; bottom: 0; border-radius: 4px; }
            .meter i { position: absolute; top: -3px; bottom: -3px; width: 2px; background: var(--ink); }
            .change { white-space: nowrap; font-weight: 600; } .change.flat { color: var(--dim); }
            .change.better { color: var(--good); } .change.worse { color: var(--bad); }
            .pair { display: grid; grid-template-columns: 3fr 2fr; gap: 28px; align-items: start; } thead { display: table-header-group; }
            .tile, .pair section, tr, svg.chart, footer dl div { break-inside: avoid; }
            table.data { width: 100%; border-collapse: collapse; font-size: .8em; } table.summary { font-size: .85em; }
            table.data th, table.data td { padding: 3px 6px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
            table.data thead th { background: var(--navy); color: #fff; font-weight: 600; vertical-align: bottom; }
            tbody tr:nth-child(even) { background: var(--zebra); } table.data tbody th { font-weight: 500; } .dim { color: var(--dim); }
            .num { text-align: right !important; font-variant-numeric: tabular-nums; } .strong { font-weight: 700; }
            table.breakdown { font-size: .72em; } table.breakdown td, .date, .days { white-space: nowrap; }
            .breakdown th:first-child { width: 22%; } table.breakdown small { display: block; color: var(--dim); font-size: .9em; }
            td.short-near { background: #fdeccc; } td.short-bad { background: #f9dcd8; } table.overdue th:nth-child(3) { width: 30%; }
            tr.total { font-weight: 700; border-top: 2px solid; }
            .ticket { font-family: ui-monospace, Menlo, Consolas, "Liberation Mono", monospace; white-space: nowrap; }
            .clock { display: inline-block; font-size: .85em; padding: 0 5px; border-radius: 3px; background: var(--track); }
            .dbar { display: inline-block; width: 60px; height: 7px; background: var(--track); margin-right: 6px; vertical-align: middle; }
            .dbar i { display: block; height: 100%; background: var(--bad-bar); }
            .map svg { display: block; width: 100%; max-width: 560px; height: auto; break-inside: avoid; }
            svg.chart { display: block; width: 100%; max-width: 920px; height: auto; } svg.narrow { max-width: 380px; }
            svg text { fill: var(--ink); } svg text.small { font-size: .82em; fill: var(--dim); } svg text.dim { fill: var(--dim); }
            svg text.target-label, svg text.s1, svg text.s2 { font-weight: 700; } svg text.value { font-size: .92em; }
            svg text.value { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
            svg .zebra { fill: var(--zebra); } svg .track { fill: var(--track); } svg .prev { fill: #c3ccd6; }
            svg rect.good, .meter .good, .key.good { fill: var(--good-bar); background: var(--good-bar); }
            svg rect.near, .meter .near, .key.near { fill: var(--near-bar); background: var(--near-bar); }
            svg rect.bad, .meter .bad, .key.bad { fill: var(--bad-bar); background: var(--bad-bar); }
            svg .grid { stroke: #fff; } svg .grid-h { stroke: var(--rule); } svg .axis { stroke: var(--ink); }
            svg .target { stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 4 3; }
            svg .age0 { fill: #9fb5cd; } svg .age1 { fill: #6a8cb0; } svg .age2 { fill: #3f6690; } svg .age3 { fill: var(--navy); }
            svg .trend { fill: none; stroke-width: 2.5; } svg .trend.s1 { stroke: var(--navy); } svg .trend.s2 { stroke: var(--accent); }
            svg circle.s1, svg text.s1 { fill: var(--navy); } svg circle.s2, svg text.s2 { fill: var(--accent); }
            .legend, .caption { font-size: .8em; color: var(--dim); margin: 0 0 8px; } .caption { margin-top: 6px; }
            .key { display: inline-block; width: 11px; height: 11px; margin: 0 4px 0 10px; vertical-align: -1px; border-radius: 2px; }
            .key:first-child { margin-left: 0; } .key.s1 { background: var(--navy); } .key.s2 { background: var(--accent); }
            .key.line { width: 0; height: 12px; border-left: 2px dashed var(--ink); border-radius: 0; }
            .empty { color: var(--dim); font-style: italic; padding: 10px 0; } footer { margin-top: 30px; font-size: .8em; }
            footer dl { columns: 2; column-gap: 28px; margin: 0; } footer dl div { margin-bottom: 6px; }
            footer dt { font-weight: 700; color: var(--navy); } footer dd { margin: 0; }
            @media print {
              body { background: #fff; font-size: 9.5pt; } main { max-width: none; padding: 0; } .new-page { break-before: page; }
              .masthead { margin: 0; padding: 14px 18px; } section { margin-top: 14px; } h2 { margin-bottom: 6px; }
              .watermark { font-size: 96px; } .tiles { gap: 6px; } .tile { padding: 6px 7px; } .tile .value { font-size: 1.6em; }
              table.data th, table.data td { padding: 2px 5px; } .breakdown th:first-child { width: 36%; }
              .wide { page: wide; } .wide section:first-child { margin-top: 0; }
              table.breakdown small { display: inline; margin-left: 4px; font-size: .85em; } table.breakdown { line-height: 1.25; }
            }
            @media screen and (max-width: 900px) { .tiles { grid-template-columns: repeat(auto-fit, minmax(138px, 1fr)); } }
            @media screen and (max-width: 760px) { .pair { grid-template-columns: 1fr; } }

            """
    }
}
