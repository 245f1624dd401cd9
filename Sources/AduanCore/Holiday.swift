import Foundation

/// A day off on the working calendar: a holiday (libur) or a cuti bersama day, for the whole province or, when an
/// operator declares one, for one region only (a regional holiday a bupati or walikota declares).
public struct Holiday: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// A holiday: national (hari libur nasional) or regional.
        case libur
        /// A joint leave day set by the SKB beside a holiday.
        case cutiBersama = "cuti_bersama"

        /// The kind as holidays.csv names it (the categories of the `holidays` package it is taken from).
        init?(csvCategory: String) {
            switch csvCategory {
            case "public": self = .libur
            case "cuti_bersama": self = .cutiBersama
            default: return nil
            }
        }
    }

    /// Where a day in force comes from.
    public enum Origin: Hashable, Sendable {
        /// The catalog's holidays.csv, built into the binary.
        case bundled
        /// An operator's `aduan-admin calendar add`.
        case added(CalendarChange)
    }

    public let date: LocalDate
    public let kind: Kind
    public let nameID: String
    public let nameEN: String
    /// The region whose calendar alone has this day off; nil for the whole province (national days).
    public let region: RegionCode?
    /// Set until the government confirms the date (Idul Fitri and Idul Adha before the sidang isbat).
    public let provisional: Bool
    public let origin: Origin

    public init(
        date: LocalDate, kind: Kind, nameID: String, nameEN: String, region: RegionCode? = nil, provisional: Bool = false,
        origin: Origin = .bundled
    ) {
        self.date = date
        self.kind = kind
        self.nameID = nameID
        self.nameEN = nameEN
        self.region = region
        self.provisional = provisional
        self.origin = origin
    }
}

/// An operator's change to the calendar in force: a day added (a new decree, a regional holiday) or removed (a day
/// the isbat moved). Changes are kept append-only with who made them; the calendar in force is the bundled list
/// with every change applied in order.
public struct CalendarChange: Hashable, Sendable {
    public enum Action: String, Sendable, CaseIterable, Codable { case add, remove }

    /// Set by the store; nil for a change not yet kept.
    public let id: Int64?
    public let action: Action
    public let date: LocalDate
    public let region: RegionCode?
    /// The kind and name of the day added, or of the day removed.
    public let kind: Holiday.Kind
    public let name: String
    /// The decree or reason, as the operator gave it.
    public let note: String?
    /// The operating-system account that ran aduan-admin.
    public let actor: String
    public let at: Date

    public init(
        id: Int64?, action: Action, date: LocalDate, region: RegionCode?, kind: Holiday.Kind, name: String, note: String?,
        actor: String, at: Date
    ) {
        self.id = id
        self.action = action
        self.date = date
        self.region = region
        self.kind = kind
        self.name = name
        self.note = note
        self.actor = actor
        self.at = at
    }

    /// The same change as kept under `id`.
    public func kept(as id: Int64) -> CalendarChange {
        CalendarChange(
            id: id, action: self.action, date: self.date, region: self.region, kind: self.kind, name: self.name,
            note: self.note, actor: self.actor, at: self.at)
    }
}

/// What an operator asks of the calendar, before the rules have checked it against the days in force.
public struct CalendarChangeRequest: Sendable {
    public let action: CalendarChange.Action
    public let date: LocalDate
    public let region: RegionCode?
    /// Needed to add a day; ignored on removal (the removed day's own are kept).
    public let kind: Holiday.Kind?
    public let name: String?
    public let note: String?

    public init(action: CalendarChange.Action, date: LocalDate, region: RegionCode?, kind: Holiday.Kind?, name: String?, note: String?) {
        self.action = action
        self.date = date
        self.region = region
        self.kind = kind
        self.name = name
        self.note = note
    }
}

/// A calendar change the rules refuse, with the reason in one line.
public struct CalendarChangeRefused: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
