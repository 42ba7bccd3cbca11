/// A date a user typed (`--as-of`, `?asOf=`, an assessment's or an approval's date): ISO 8601, in
/// the years a plan can concern. Every door reads dates here, so one is refused alike everywhere.
public enum DateInput {
    public static func day(_ text: String, name: String = "Datoen") throws -> Day {
        guard let day = Day(iso: text), (1900...2200).contains(day.components.year) else {
            throw Refusal(.invalidDate, title: "Datoen kan ikke læses",
                          description: "\(name) skal være en dato som 2025-03-01, ikke '\(text.prefix(40))'.")
        }
        return day
    }
}
