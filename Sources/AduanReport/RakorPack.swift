import Foundation

/// The rakor pack: the strategic issues that complaints show, desk by desk, for the governor's meeting with the bupati
/// and walikota. What a snapshot keeps, and what every format renders. Each issue carries every input of its score.
public struct RakorPack: Codable, Sendable, Equatable {
    /// `2026-07/2026-09`: the first and last month, inclusive.
    public var period: String
    /// The same number of months just before, for trends.
    public var previousPeriod: String
    public var scope: ReportScope
    /// A desk code or a kabupaten/kota code the pack is limited to, if any.
    public var desk: String?
    public var kabupatenKota: String?
    public var version: Int
    public var generatedAt: String
    public var generatedBy: String
    /// The end of the period, or the generation time for a period not yet over (then the pack is provisional).
    public var asOf: String
    public var provisional: Bool
    public var rules: RakorRules
    /// Every kabupaten/kota of the scope: complaints, per 10,000 inhabitants, and resolved in time.
    public var areas: [RakorArea]
    /// The highest-scoring issues of all desks, for the cover.
    public var topIssues: [StrategicIssue]
    public var desks: [RakorDeskSection]
}

/// The thresholds and weights a pack was made with (kept with it, printed in it).
public struct RakorRules: Codable, Sendable, Equatable {
    /// Complaints of one category within this distance of a hotspot's centre belong to it.
    public var hotspotRadiusMetres = 300.0
    /// Fewer complaints than this in the period are not a hotspot (nor a backlog, nor a cross-level issue).
    public var minimumComplaints = 3
    /// Issues listed per desk, of each kind (so that a few large backlogs do not hide every hotspot), and points of
    /// agreement drafted per desk, from the highest scores of all kinds.
    public var issuesPerDesk = 8
    public var agreementsPerDesk = 5
    public var topIssues = 10
    /// Support (+1 from other citizens) that weighs as one more complaint.
    public var supportPerComplaint = 5.0
    public var formula =
        "skor = (aduan + dukungan ÷ 5) × (1 + porsi lewat tenggat) × (1 + porsi dibuka kembali) × (1 + kenaikan), "
        + "kenaikan = (aduan − aduan periode sebelumnya) ÷ maks(aduan periode sebelumnya, 1), dibatasi 0 sampai 1"

    public init() {}

    /// The score of an issue from its inputs: every factor is printed beside the issue.
    public func score(count: Int, previous: Int, overdue: Int, reopened: Int, support: Int) -> Double {
        guard count > 0 else { return 0 }
        let n = Double(count)
        let weight = n + Double(support) / self.supportPerComplaint
        let score = weight * (1 + Double(overdue) / n) * (1 + Double(reopened) / n) * (1 + Self.growth(count, previous))
        return (score * 10).rounded() / 10
    }

    /// The rise against the period before, from 0 (none, or a fall) to 1 (doubled, or new).
    public static func growth(_ count: Int, _ previous: Int) -> Double {
        min(1, max(0, Double(count - previous) / Double(max(previous, 1))))
    }
}

/// A kabupaten/kota on the pack's maps.
public struct RakorArea: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var population: Int?
    /// Complaints filed in the period (not counting duplicates and rejected ones).
    public var received: Int
    /// Complaints settled in the period, and of them those settled by their resolution deadline.
    public var settled: Int
    public var settledInTime: Int
    public var hotspots: Int

    public var perTenThousand: Double? { self.population.map { Double(self.received) * 10_000 / Double(max($0, 1)) } }
    public var resolutionCompliance: Double? { self.settled == 0 ? nil : Double(self.settledInTime) / Double(self.settled) }
}

/// One desk's part of the pack.
public struct RakorDeskSection: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var categories: [String]
    /// The RPJMD themes its categories bear on (names).
    public var themes: [String]
    public var received: Int
    public var previousReceived: Int
    /// Up to `RakorRules.issuesPerDesk` of each kind, ranked by score, highest first.
    public var issues: [StrategicIssue]
    /// Drafts for the top issues: evidence filled in, target and date left for the meeting.
    public var agreements: [AgreementPoint]
}

/// A strategic issue found in the complaints.
public struct StrategicIssue: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// Complaints of one category that recur at one place.
        case hotspot
        /// A category in a kabupaten/kota whose complaints stay open the longest.
        case backlog
        /// Complaints between the province and the kabupaten/kota: forwarded between levels, or of split authority.
        case crossLevel = "cross_level"
    }
    public var kind: Kind
    public var desk: String
    /// The category, or for a split authority of several categories their codes joined by `+`.
    public var category: String
    public var categoryName: String
    public var area: String
    public var areaName: String
    /// Where (a hotspot's desa and kecamatan), empty otherwise.
    public var place: String
    public var latitude: Double?
    public var longitude: Double?
    /// The inputs of the score. For a backlog, `count` is the complaints open at the period's end and `previous` those
    /// open at its start; otherwise complaints filed in the period and in the period before.
    public var count: Int
    public var previous: Int
    public var open: Int
    public var overdue: Int
    public var reopened: Int
    public var support: Int
    public var score: Double
    /// A backlog's median age of the open complaints at the period's end, in days.
    public var medianOpenDays: Double?
    /// Cross-level: complaints forwarded between the levels, and complaints now at each level.
    public var forwardedAcrossLevels: Int?
    public var atProvince: Int?
    public var atKabupatenKota: Int?
    /// The offices concerned: at the province's level and at the kabupaten/kota's.
    public var provinceOffices: [String]
    public var kabupatenKotaOffices: [String]
    public var themes: [String]
    /// A few tickets to look at, newest first.
    public var tickets: [String]
}

/// A draft point of agreement (butir kesepakatan): a working paper for the meeting, not a verdict.
public struct AgreementPoint: Codable, Sendable, Equatable {
    public var number: Int
    public var issue: StrategicIssue
    /// The evidence in one Indonesian sentence.
    public var evidence: String
}
