/// The forward-only SQL migrations, in the order they are applied.
public enum AduanSchema {
    public static let migrations: [(name: String, sql: String)] = [
        ("aduan_0001_init", String(decoding: PackageResources.aduan_0001_init_sql, as: UTF8.self)),
        ("aduan_0002_triage", String(decoding: PackageResources.aduan_0002_triage_sql, as: UTF8.self)),
        ("aduan_0003_report", String(decoding: PackageResources.aduan_0003_report_sql, as: UTF8.self)),
        ("aduan_0004_calendar", String(decoding: PackageResources.aduan_0004_calendar_sql, as: UTF8.self)),
        ("aduan_0005_photos", String(decoding: PackageResources.aduan_0005_photos_sql, as: UTF8.self)),
        ("aduan_0006_outbox", String(decoding: PackageResources.aduan_0006_outbox_sql, as: UTF8.self)),
        ("aduan_0007_citizens", String(decoding: PackageResources.aduan_0007_citizens_sql, as: UTF8.self)),
        ("aduan_0008_open311", String(decoding: PackageResources.aduan_0008_open311_sql, as: UTF8.self)),
        ("aduan_0009_hardening", String(decoding: PackageResources.aduan_0009_hardening_sql, as: UTF8.self)),
        ("aduan_0010_rakor", String(decoding: PackageResources.aduan_0010_rakor_sql, as: UTF8.self)),
        ("aduan_0011_counters", String(decoding: PackageResources.aduan_0011_counters_sql, as: UTF8.self)),
    ]

    /// PostgreSQL's migrations, in order: a baseline equal to the SQLite schema after `aduan_0011_counters`; each later
    /// change comes as a pair, the same name in both lists.
    public static let postgresMigrations: [(name: String, sql: String)] = [
        ("aduan_0011_baseline", String(decoding: PackageResources.aduan_0011_baseline_sql, as: UTF8.self))
    ]
}
