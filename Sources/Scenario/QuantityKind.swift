/// What the values of a distribution measure (docs/scenarios.md): how one value is written and
/// read, and which units `lognormal` may name.
///
/// Each kind stores its values in one base unit (seconds for durations, BTT per hour for
/// seeding costs), so the distribution readers are written once and the simulator never
/// sees a unit.
struct QuantityKind: Sendable {
    /// The start of a message about a value that is not one, as in
    /// `expected a duration such as "10 min"`.
    let expected: String
    /// Reads one value with its unit into the base unit; zero only when `allowZero`.
    let read: @Sendable (_ text: String, _ allowZero: Bool) throws(Units.Problem) -> Double
    /// The units `lognormal`'s `unit:` accepts, with base units per unit.
    let units: [(name: String, scale: Double)]
    /// What a unit of this kind is called in messages (`time unit`).
    let unitNoun: String
    /// What a number without a unit means in an `{empirical: file}` (`seconds`).
    let bareNumberMeaning: String
    /// Example values for messages, in the order mean (or scale), low, high, unit.
    let examples: (mean: String, scale: String, low: String, high: String, unit: String)

    /// Random durations, in seconds.
    static let duration = QuantityKind(
        expected: Units.durationExample,
        read: { text, allowZero throws(Units.Problem) in try Units.durationSeconds(text, allowZero: allowZero) },
        units: Units.timeUnits.map { ($0.name, $0.nanoseconds / 1e9) },
        unitNoun: "time unit", bareNumberMeaning: "seconds",
        examples: (mean: "2 h", scale: "288 min", low: "1 min", high: "10 min", unit: "h"))

    /// Costs of seeding (`seeding.rational.cost`), in BTT per hour.
    static let seedingCost = QuantityKind(
        expected: Units.costRateExample,
        read: { text, allowZero throws(Units.Problem) in try Units.costPerHour(text, allowZero: allowZero) },
        units: Units.costRateUnits.map { ($0.name, $0.perHour) },
        unitNoun: "cost unit", bareNumberMeaning: "BTT per hour",
        examples: (mean: "2 BTT/h", scale: "2 BTT/h", low: "0 BTT/h", high: "4 BTT/h", unit: "BTT/h"))
}
