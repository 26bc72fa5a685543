import Reports

/// The validation table as `validation.csv` (one row per check).
public enum ValidationReport {
    public static let header = [
        "model", "setting", "quantity", "expected", "simulated_mean", "ci_low", "ci_high", "min", "max",
        "replications", "rule", "verdict",
    ]

    public static func table(_ checks: [ValidationCheck]) -> CSVTable {
        var table = CSVTable(header: header)
        for c in checks {
            table.append([
                c.model, c.setting, c.quantity, CSVFormat.optional(c.expected, 6), CSVFormat.fixed(c.simulated.mean, 6),
                CSVFormat.fixed(c.simulated.low, 6), CSVFormat.fixed(c.simulated.high, 6),
                CSVFormat.fixed(c.minimum, 6),
                CSVFormat.fixed(c.maximum, 6), "\(c.simulated.n)", c.ruleText, c.verdict,
            ])
        }
        return table
    }
}
