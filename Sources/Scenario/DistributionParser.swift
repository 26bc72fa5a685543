import SimKernel

/// Random quantities (docs/scenarios.md): a plain value such as `10 min` means a constant;
/// otherwise a one-key mapping names the distribution. Values are converted to the base
/// unit of their `QuantityKind` here (seconds for durations), so the rest of the simulator
/// never sees a unit.
extension ParseContext {
    static let distributionKinds = ["exponential", "lognormal", "uniform", "weibull", "constant", "empirical"]

    /// A random duration in seconds.
    func distribution(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Distribution {
        try distribution(node, at: path, of: .duration)
    }

    /// A random quantity of `kind`, in the kind's base unit.
    func distribution(_ node: YAMLNode, at path: KeyPath, of kind: QuantityKind) throws(ScenarioError) -> Distribution {
        let expected =
            "\(kind.expected) or a distribution such as {exponential: {mean: \(kind.examples.mean)}}"
        switch node.kind {
        case .scalar:
            let text = try self.text(node, at: path, expected: expected)
            guard Units.scanNumber(text) != nil else {
                throw error("\(expected), got \(quoted(text))", at: node, path: path)
            }
            return .constant(try value(node, at: path, of: kind, allowZero: true))
        case .sequence:
            throw error("\(expected), got a list", at: node, path: path)
        case .mapping:
            let entry = try tagged(
                node, at: path, kinds: Self.distributionKinds, noun: "distribution", expected: expected)
            return try distribution(named: entry.key, body: entry.value, at: path.key(entry.key), of: kind)
        }
    }

    private func distribution(
        named name: String, body: YAMLNode, at path: KeyPath, of kind: QuantityKind
    ) throws(ScenarioError) -> Distribution {
        let positive = { (node: YAMLNode, path: KeyPath) throws(ScenarioError) -> Double in
            try self.value(node, at: path, of: kind, allowZero: false)
        }
        switch name {
        case "exponential":
            let fields = try mapping(body, at: path, keys: ["mean"], example: "{mean: \(kind.examples.mean)}")
            return .exponential(mean: try fields.require("mean", positive))
        case "lognormal":
            return try lognormal(body, at: path, of: kind)
        case "uniform":
            return try uniform(body, at: path, of: kind)
        case "weibull":
            let fields = try mapping(
                body, at: path, keys: ["scale", "shape"], example: "{scale: \(kind.examples.scale), shape: 0.63}")
            let scale = try fields.require("scale", positive)
            let shape = try fields.require("shape") { n, p throws(ScenarioError) in
                try positiveNumber(n, at: p, example: "0.63")
            }
            return .weibull(scale: scale, shape: shape)
        case "constant":
            return .constant(try value(body, at: path, of: kind, allowZero: true))
        default:
            return .empirical(try empiricalValues(body, at: path, of: kind))
        }
    }

    /// `{mu, sigma, unit}`: mu and sigma are the parameters of the logarithm of the value
    /// in `unit`, as fitted in the literature (e.g. session times in hours), so the unit is
    /// required rather than silently taken to be the base unit.
    private func lognormal(_ body: YAMLNode, at path: KeyPath, of kind: QuantityKind) throws(ScenarioError)
        -> Distribution
    {
        let fields = try mapping(
            body, at: path, keys: ["mu", "sigma", "unit"],
            example: "{mu: -2.41, sigma: 2.52, unit: \(kind.examples.unit)}")
        let mu = try fields.require("mu") { n, p throws(ScenarioError) in try number(n, at: p, example: "-2.41") }
        let sigma = try fields.require("sigma") { n, p throws(ScenarioError) in
            try positiveNumber(n, at: p, example: "2.52")
        }
        let unitNode = try fields.required("unit")
        let unitNames = kind.units.map(\.name)
        let unit = try text(
            unitNode, at: path.key("unit"), expected: "expected a \(kind.unitNoun) such as \(kind.examples.unit)")
        guard let scale = kind.units.first(where: { $0.name == unit })?.scale else {
            let hint = Suggestions.hint(for: unit, among: unitNames, listIntro: "use")
            throw error("unknown \(kind.unitNoun) \(quoted(unit))\(hint)", at: unitNode, path: path.key("unit"))
        }
        return .lognormal(mu: mu, sigma: sigma, scale: scale)
    }

    private func uniform(_ body: YAMLNode, at path: KeyPath, of kind: QuantityKind) throws(ScenarioError)
        -> Distribution
    {
        let fields = try mapping(
            body, at: path, keys: ["min", "max"],
            example: "{min: \(kind.examples.low), max: \(kind.examples.high)}")
        let low = try fields.require("min") { n, p throws(ScenarioError) in
            try value(n, at: p, of: kind, allowZero: true)
        }
        let highNode = try fields.required("max")
        let high = try value(highNode, at: path.key("max"), of: kind, allowZero: true)
        guard high >= low else {
            let lowText = fields.value("min")?.scalarText ?? "min"
            let highText = highNode.scalarText ?? ""
            throw error(
                "must be at least min (\(lowText)), got \(quoted(highText))", at: highNode, path: path.key("max"))
        }
        return .uniform(min: low, max: high)
    }

    /// Values from a file named relative to the scenario's folder (see `EmpiricalSamples`).
    private func empiricalValues(_ body: YAMLNode, at path: KeyPath, of kind: QuantityKind) throws(ScenarioError)
        -> [Double]
    {
        let name = try text(body, at: path, expected: "expected a file name such as sessions.csv")
        let resolved = TextFile.resolve(name, in: directory)
        switch TextFile.read(resolved) {
        case .failure(let failure):
            throw error("cannot read \(quoted(resolved)) (\(failure.reason))", at: body, path: path)
        case .success(let contents):
            switch EmpiricalSamples.parse(contents, of: kind) {
            case .success(let values): return values
            case .failure(let problem): throw error("\(name): \(problem.message)", at: body, path: path)
            }
        }
    }

    /// One value of `kind` with its unit, in the kind's base unit.
    private func value(_ node: YAMLNode, at path: KeyPath, of kind: QuantityKind, allowZero: Bool)
        throws(ScenarioError) -> Double
    {
        try quantity(node, at: path, expected: kind.expected) { text throws(Units.Problem) in
            try kind.read(text, allowZero)
        }
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
/// with its unit or a bare number in the kind's base unit (seconds for durations).
enum EmpiricalSamples {
    static func parse(_ contents: String, of kind: QuantityKind) -> Result<[Double], Units.Problem> {
        var values: [Double] = []
        var sawFirstLine = false
        for (offset, line) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let cell = firstCell(String(line))
            if cell.isEmpty || cell.hasPrefix("#") { continue }
            let isFirstLine = !sawFirstLine
            sawFirstLine = true
            switch value(cell, of: kind) {
            case .success(let value): values.append(value)
            case .failure where isFirstLine: continue  // a header such as "session_h"
            case .failure(let problem): return .failure(Units.Problem("line \(offset + 1): \(problem.message)"))
            }
        }
        guard !values.isEmpty else { return .failure(Units.Problem("the file has no values")) }
        return .success(values)
    }

    private static func value(_ cell: String, of kind: QuantityKind) -> Result<Double, Units.Problem> {
        if let bare = Units.number(cell) {
            guard bare >= 0 else { return .failure(Units.Problem("must not be negative, got \(quoted(cell))")) }
            return .success(bare)
        }
        guard Units.scanNumber(cell) != nil else {
            return .failure(
                Units.Problem("\(kind.expected) or a number of \(kind.bareNumberMeaning), got \(quoted(cell))"))
        }
        do throws(Units.Problem) {
            return .success(try kind.read(cell, true))
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
