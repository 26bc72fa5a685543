import SimKernel

/// Random durations (DESIGN.md §4): a plain duration means a constant; otherwise a
/// one-key mapping names the distribution. Everything is converted to seconds here, so the
/// rest of the simulator never sees a unit.
extension ParseContext {
    static let distributionKinds = ["exponential", "lognormal", "uniform", "weibull", "constant", "empirical"]
    static let distributionExample = "a distribution such as {exponential: {mean: 2 h}}"

    /// A random duration in seconds.
    func distribution(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Distribution {
        let expected = "expected a duration such as \"10 min\" or \(Self.distributionExample)"
        switch node.kind {
        case .scalar:
            let text = try self.text(node, at: path, expected: expected)
            guard Units.scanNumber(text) != nil else {
                throw error("\(expected), got \(quoted(text))", at: node, path: path)
            }
            return .constant(try durationSeconds(node, at: path, allowZero: true))
        case .sequence:
            throw error("\(expected), got a list", at: node, path: path)
        case .mapping:
            let entry = try tagged(
                node, at: path, kinds: Self.distributionKinds, noun: "distribution", expected: expected)
            return try distribution(kind: entry.key, body: entry.value, at: path.key(entry.key))
        }
    }

    private func distribution(kind: String, body: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Distribution {
        switch kind {
        case "exponential":
            let fields = try mapping(body, at: path, keys: ["mean"], example: "{mean: 2 h}")
            return .exponential(
                mean: try fields.require("mean") { n, p throws(ScenarioError) in
                    try durationSeconds(n, at: p, allowZero: false)
                })
        case "lognormal":
            return try lognormal(body, at: path)
        case "uniform":
            return try uniform(body, at: path)
        case "weibull":
            let fields = try mapping(
                body, at: path, keys: ["scale", "shape"], example: "{scale: 288 min, shape: 0.63}")
            let scale = try fields.require("scale") { n, p throws(ScenarioError) in
                try durationSeconds(n, at: p, allowZero: false)
            }
            let shape = try fields.require("shape") { n, p throws(ScenarioError) in
                try positiveNumber(n, at: p, example: "0.63")
            }
            return .weibull(scale: scale, shape: shape)
        case "constant":
            return .constant(try durationSeconds(body, at: path, allowZero: true))
        default:
            return .empirical(try empiricalValues(body, at: path))
        }
    }

    /// `{mu, sigma, unit}`: mu and sigma are the parameters of the logarithm of the value
    /// in `unit`, as fitted in the literature (e.g. session times in hours), so the unit is
    /// required rather than silently taken to be seconds.
    private func lognormal(_ body: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Distribution {
        let fields = try mapping(
            body, at: path, keys: ["mu", "sigma", "unit"], example: "{mu: -2.41, sigma: 2.52, unit: h}")
        let mu = try fields.require("mu") { n, p throws(ScenarioError) in try number(n, at: p, example: "-2.41") }
        let sigma = try fields.require("sigma") { n, p throws(ScenarioError) in
            try positiveNumber(n, at: p, example: "2.52")
        }
        let unitNode = try fields.required("unit")
        let unitNames = Units.timeUnits.map(\.name)
        let unit = try text(unitNode, at: path.key("unit"), expected: "expected a time unit such as h")
        guard let scale = Units.secondsPerTimeUnit(unit) else {
            let hint = Suggestions.hint(for: unit, among: unitNames, listIntro: "use")
            throw error("unknown time unit \(quoted(unit))\(hint)", at: unitNode, path: path.key("unit"))
        }
        return .lognormal(mu: mu, sigma: sigma, scale: scale)
    }

    private func uniform(_ body: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Distribution {
        let fields = try mapping(body, at: path, keys: ["min", "max"], example: "{min: 1 min, max: 10 min}")
        let low = try fields.require("min") { n, p throws(ScenarioError) in
            try durationSeconds(n, at: p, allowZero: true)
        }
        let highNode = try fields.required("max")
        let high = try durationSeconds(highNode, at: path.key("max"), allowZero: true)
        guard high >= low else {
            let lowText = fields.value("min")?.scalarText ?? "min"
            let highText = highNode.scalarText ?? ""
            throw error(
                "must be at least min (\(lowText)), got \(quoted(highText))", at: highNode, path: path.key("max"))
        }
        return .uniform(min: low, max: high)
    }

    /// Values from a file named relative to the scenario's folder (see `EmpiricalSamples`).
    private func empiricalValues(_ body: YAMLNode, at path: KeyPath) throws(ScenarioError) -> [Double] {
        let name = try text(body, at: path, expected: "expected a file name such as sessions.csv")
        let resolved = TextFile.resolve(name, in: directory)
        switch TextFile.read(resolved) {
        case .failure(let failure):
            throw error("cannot read \(quoted(resolved)) (\(failure.reason))", at: body, path: path)
        case .success(let contents):
            switch EmpiricalSamples.parse(contents) {
            case .success(let values): return values
            case .failure(let problem): throw error("\(name): \(problem.message)", at: body, path: path)
            }
        }
    }

    func durationSeconds(_ node: YAMLNode, at path: KeyPath, allowZero: Bool) throws(ScenarioError) -> Double {
        try duration(node, at: path, allowZero: allowZero).seconds
    }

    private func positiveNumber(_ node: YAMLNode, at path: KeyPath, example: String) throws(ScenarioError) -> Double {
        let value = try number(node, at: path, example: example)
        guard value > 0 else {
            throw error("must be positive, got \(quoted(node.scalarText ?? ""))", at: node, path: path)
        }
        return value
    }

    private func mapping(
        _ node: YAMLNode, at path: KeyPath, keys: [String], example: String
    ) throws(ScenarioError) -> MappingReader {
        try MappingReader(node, at: path, keys: keys, context: self, expected: "expected a mapping such as \(example)")
    }
}

/// The body of an `{empirical: file}` distribution: one value per line in the first
/// column (so a CSV exported from a trace works as is), an optional header line, each value
/// a duration with a unit or a bare number of seconds.
enum EmpiricalSamples {
    static func parse(_ contents: String) -> Result<[Double], Units.Problem> {
        var values: [Double] = []
        var sawFirstLine = false
        for (offset, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let cell = firstCell(String(line))
            if cell.isEmpty || cell.hasPrefix("#") { continue }
            let isFirstLine = !sawFirstLine
            sawFirstLine = true
            switch value(cell) {
            case .success(let seconds): values.append(seconds)
            case .failure where isFirstLine: continue  // a header such as "session_h"
            case .failure(let problem): return .failure(Units.Problem("line \(offset + 1): \(problem.message)"))
            }
        }
        guard !values.isEmpty else { return .failure(Units.Problem("the file has no values")) }
        return .success(values)
    }

    private static func value(_ cell: String) -> Result<Double, Units.Problem> {
        if let seconds = Units.number(cell) {
            guard seconds >= 0 else { return .failure(Units.Problem("must not be negative, got \(quoted(cell))")) }
            return .success(seconds)
        }
        guard Units.scanNumber(cell) != nil else {
            return .failure(
                Units.Problem("expected a duration such as \"10 min\" or a number of seconds, got \(quoted(cell))"))
        }
        do throws(Units.Problem) {
            return .success(try Units.durationSeconds(cell, allowZero: true))
        } catch {
            return .failure(error)
        }
    }

    /// The text before the first comma, tab or semicolon, without spaces or quotes.
    private static func firstCell(_ line: String) -> String {
        let cell = line.prefix(while: { $0 != "," && $0 != "\t" && $0 != ";" && $0 != "\r" })
        var text = String(cell).trimmingSpaces()
        if text.count >= 2, text.first == "\"", text.last == "\"" { text = String(text.dropFirst().dropLast()) }
        return text.trimmingSpaces()
    }
}
