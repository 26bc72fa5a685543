#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The scenario a result folder's runs used, written beside their CSVs as
/// scenario.resolved.yaml (docs/architecture.md, "Provenance").
extension ScenarioLoader {
    /// `scenario` as YAML that `btsim run` reads back to the same runs: the file's tree
    /// after every override (`--set`, then the variant's `set:` or the sweep point), without
    /// `variants:` and `sweep:`, with the `seed`, `replications` and `fidelity` actually used, and with
    /// empirical sample files named by absolute path so the file works from any folder.
    public static func resolvedYAML(of scenario: Scenario, seed: UInt64, replications: Int)
        throws(ScenarioError) -> String
    {
        guard let source = scenario.source else {
            throw ScenarioError(
                file: scenario.name, line: nil, keyPath: "",
                message: "this scenario was not parsed from a file, so it cannot be written back")
        }
        let context = ParseContext(file: source.file)
        var root = try tree(of: source, context: context)
        root.removeEntries(["variants", "sweep"])
        let generated = NodeSource.file(line: 0)
        root.setEntry("seed", to: YAMLNode(kind: .scalar("\(seed)", plain: true), source: generated), after: "name")
        root.setEntry(
            "replications", to: YAMLNode(kind: .scalar("\(replications)", plain: true), source: generated),
            after: "seed")
        // The tier is written even when the file left it to its default: which model
        // produced the runs is part of what they are.
        root.setEntry(
            "fidelity", to: YAMLNode(kind: .scalar(scenario.fidelity.rawValue, plain: true), source: generated),
            after: "replications")
        root.absolutiseSampleFiles(in: TextFile.absolute(context.directory))
        return try root.blockText()
    }
}

extension YAMLNode {
    /// Drops the top-level entries named `keys` (a mapping only).
    mutating func removeEntries(_ keys: Set<String>) {
        guard case .mapping(let entries) = kind else { return }
        kind = .mapping(entries.filter { !keys.contains($0.key) })
    }

    /// Sets `key` to `value` where it is, or adds it after `anchor` (at the end without one).
    mutating func setEntry(_ key: String, to value: YAMLNode, after anchor: String) {
        guard case .mapping(var entries) = kind else { return }
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].value = value
        } else {
            let at = entries.firstIndex { $0.key == anchor }.map { $0 + 1 } ?? entries.count
            entries.insert(Entry(key: key, keySource: value.source, value: value), at: at)
        }
        kind = .mapping(entries)
    }

    /// Rewrites every `{empirical: FILE}` to name FILE by absolute path, resolved against
    /// `directory` as the parser resolves it.
    mutating func absolutiseSampleFiles(in directory: String) {
        switch kind {
        case .scalar: break
        case .sequence(var items):
            for i in items.indices { items[i].absolutiseSampleFiles(in: directory) }
            kind = .sequence(items)
        case .mapping(var entries):
            for i in entries.indices {
                if entries[i].key == "empirical", case .scalar(let name, _) = entries[i].value.kind {
                    entries[i].value.kind = .scalar(TextFile.resolve(name, in: directory), plain: false)
                } else {
                    entries[i].value.absolutiseSampleFiles(in: directory)
                }
            }
            kind = .mapping(entries)
        }
    }
}

extension TextFile {
    /// `path` made absolute against the working directory.
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return path == "." ? cwd : cwd + "/" + path
    }
}
