import Foundation

/// SLA clock arithmetic. A target in hours counts all elapsed time; a target in working days counts only the time
/// that falls on working days (whole local days, Monday to Friday, not a holiday or cuti bersama). The same measure
/// places the at-risk point at 80% of a target and moves a deadline when the clock was paused.
extension WorkingCalendar {
    /// The share of a target after which a complaint is at risk.
    public static let atRiskShare = 0.8

    /// The seconds between two instants that count against a target of the given kind (0 if `end` <= `start`).
    public func countedSeconds(from start: Date, to end: Date, target: SLATarget) -> Double {
        guard end > start else { return 0 }
        guard case .workingDays = target else { return end.timeIntervalSince(start) }
        var total = 0.0
        var day = self.local(start).date
        let last = self.local(end).date
        while day <= last {
            if self.isWorkingDay(day) {
                let from = max(start, self.instant(day, minute: 0))
                let to = min(end, self.instant(day.adding(days: 1), minute: 0))
                if to > from { total += to.timeIntervalSince(from) }
            }
            day = day.adding(days: 1)
        }
        return total
    }

    /// The instant at which `seconds` of counted time have passed after `start`.
    public func advance(_ start: Date, by seconds: Double, target: SLATarget) -> Date {
        guard seconds > 0 else { return start }
        guard case .workingDays = target else { return start.addingTimeInterval(seconds) }
        var remaining = seconds
        var cursor = start
        var day = self.local(start).date
        // Bounded: ten years of days off in a row is not a calendar.
        for _ in 0..<3_660 {
            let dayEnd = self.instant(day.adding(days: 1), minute: 0)
            if self.isWorkingDay(day) {
                let available = dayEnd.timeIntervalSince(cursor)
                if remaining <= available { return cursor.addingTimeInterval(remaining) }
                remaining -= available
            }
            day = day.adding(days: 1)
            cursor = dayEnd
        }
        return cursor.addingTimeInterval(remaining)
    }

    /// When a clock that started at `start` and falls due at `due` becomes at risk.
    public func atRisk(start: Date, due: Date, target: SLATarget) -> Date {
        // Whole milliseconds, as stored, so that a stored value reads back equal.
        self.advance(start, by: self.countedSeconds(from: start, to: due, target: target) * Self.atRiskShare, target: target)
            .wholeMilliseconds
    }

    /// Where an instant of a clock (a deadline or its at-risk point) lands when the clock was paused from `pausedAt`
    /// to `resumedAt`: the counted time it had left at the pause is left after the resumption. A point that had
    /// already passed when the clock was paused stays where it was.
    public func shifted(_ point: Date, pausedAt: Date, resumedAt: Date, target: SLATarget) -> Date {
        guard point > pausedAt else { return point }
        return self.advance(resumedAt, by: self.countedSeconds(from: pausedAt, to: point, target: target), target: target)
            .wholeMilliseconds
    }

    /// The close of the working day an instant of counted time reached: where a working-day deadline moved by a
    /// pause lands, so that deadlines are always at a close, as when they were first set. Counted time ends inside a
    /// working day (or exactly at its midnight, which belongs to that day).
    public func closeOfWorkingDay(reachedAt instant: Date) -> Date {
        let date = self.local(instant.addingTimeInterval(-0.001)).date
        if self.isWorkingDay(date) { return self.instant(date, minute: self.closeMinute) }
        return self.instant(self.nextWorkingDay(onOrAfter: date), minute: self.closeMinute)
    }
}
