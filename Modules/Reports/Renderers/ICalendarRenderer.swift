import BeskplanCore

/// The årshjul as an iCalendar file (RFC 5545) that Outlook and other calendars subscribe to:
/// one all-day event on the first weekday of each month with follow-ups. Hand-written because
/// the format needs a dozen lines of text and no calendar library is in the package mirror.
public enum ICalendarRenderer {
    /// `kommuneName` titles the calendar; `stamp` (UTC, `20250301T120000Z`) is when it was made.
    public static func render(_ plan: Plan, kommuneName: String, stamp: String) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//beskplan//aarshjul//DA", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape("Årshjul \(plan.year) – \(kommuneName)"),
        ]
        for (month, entries) in Yearwheel.entries(plan) {
            let day = firstWeekday(year: plan.year, month: month)
            let targets = entries.map(\.target)
            let summary = "Opfølgning på beskæftigelsesplanen: " + (targets.count == 1 ? "mål " : "målene ") + targets.joined(separator: ", ")
            let description = entries.map { "Mål \($0.target) (indsatsmål \($0.goal)): \($0.audience), \($0.frequency.rawValue)" }
                .joined(separator: "\n")
            lines += [
                "BEGIN:VEVENT",
                "UID:aarshjul-\(plan.kommune)-\(plan.year)-\(month)@beskplan",
                "DTSTAMP:\(stamp)",
                "DTSTART;VALUE=DATE:\(compact(day))",
                "DTEND;VALUE=DATE:\(compact(day.advanced(by: 1)))",
                "SUMMARY:" + escape(summary),
                "DESCRIPTION:" + escape(description),
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func firstWeekday(year: Int, month: Int) -> Day {
        var day = Day(year: year, month: month, day: 1)
        while day.isoWeekday > 5 { day = day.advanced(by: 1) }
        return day
    }

    static func compact(_ day: Day) -> String { day.description.replacingOccurrences(of: "-", with: "") }

    /// TEXT values escape backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11).
    /// A text value (§3.3.11): backslash, `;` and `,` escaped, and every line break — CRLF, LF or
    /// a bare CR, which some clients split on — written as `\n`, so no text starts a property.
    static func escape(_ text: String) -> String {
        // A CRLF is one break, not two.
        var joined = ""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "\n", previous == "\r" { previous = scalar; continue }
            joined.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
            previous = scalar
        }
        return joined.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Lines longer than 75 octets continue on the next line after a space, never inside a character (§3.1).
    static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            if octets + size > 75 {
                result += "\r\n "
                octets = 1
            }
            result.append(character)
            octets += size
        }
        return result
    }
}
