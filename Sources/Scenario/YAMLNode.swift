import Yams

/// Where a value in the tree came from: a line of the scenario file, or an override.
enum NodeSource: Equatable, Sendable {
    case file(line: Int)
    /// Set by `override`, whose path resolved to `target` (with groups as indices).
    case override(Override, target: KeyPath)
}

/// The scenario's YAML as a tree that remembers where each value came from.
///
/// An own type rather than `Yams.Node` because overrides replace subtrees: a replaced
/// value must report its errors as `--set KEY` (or its variant), not as a file line it
/// never had, and a key added by an override has no line either.
struct YAMLNode: Sendable {
    struct Entry: Sendable {
        var key: String
        var keySource: NodeSource
        var value: YAMLNode
    }

    enum Kind: Sendable {
        /// `plain` is false for quoted and block scalars: `"null"` is text, `null` is not.
        case scalar(String, plain: Bool)
        case mapping([Entry])
        case sequence([YAMLNode])
    }

    var kind: Kind
    var source: NodeSource

    /// YAML's null: an empty value, `~` or `null` written without quotes.
    var isNull: Bool {
        guard case .scalar(let text, plain: true) = kind else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The text of a non-null scalar.
    var scalarText: String? {
        guard case .scalar(let text, _) = kind, !isNull else { return nil }
        return text
    }

    /// How the value reads in "expected X, got Y" messages.
    var kindName: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, _): return isNull ? "no value" : quoted(text)
        }
    }

    /// The same tree with every node and key marked as coming from `source`.
    func stamped(_ source: NodeSource) -> YAMLNode {
        var copy = self
        copy.source = source
        switch kind {
        case .scalar: break
        case .mapping(let entries):
            copy.kind = .mapping(entries.map { Entry(key: $0.key, keySource: source, value: $0.value.stamped(source)) })
        case .sequence(let items):
            copy.kind = .sequence(items.map { $0.stamped(source) })
        }
        return copy
    }
}

/// A YAML problem found while composing, before any scenario key is looked at.
struct ComposeProblem: Error {
    let line: Int?
    let message: String
}

enum YAMLComposer {
    /// Parses `text` into a tree whose nodes get their source from `source(line)`;
    /// nil for an empty document (nothing but comments or whitespace).
    static func compose(_ text: String, source: (Int) -> NodeSource) throws(ComposeProblem) -> YAMLNode? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw problem(from: error)
        } catch {
            throw ComposeProblem(line: nil, message: "YAML syntax error: \(error)")
        }
        guard let root else { return nil }
        return try convert(root, source: source, fallbackLine: 1)
    }

    private static func convert(
        _ node: Node, source: (Int) -> NodeSource, fallbackLine: Int
    ) throws(ComposeProblem) -> YAMLNode {
        let line = node.mark?.line ?? fallbackLine
        switch node {
        case .scalar(let scalar):
            return YAMLNode(kind: .scalar(scalar.string, plain: scalar.style == .plain), source: source(line))
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            for item in sequence { items.append(try convert(item, source: source, fallbackLine: line)) }
            return YAMLNode(kind: .sequence(items), source: source(line))
        case .mapping(let mapping):
            var entries: [YAMLNode.Entry] = []
            for (key, value) in mapping {
                let keyLine = key.mark?.line ?? line
                guard case .scalar(let keyScalar) = key else {
                    throw ComposeProblem(line: keyLine, message: "a key must be text, not a mapping or a list")
                }
                var converted = try convert(value, source: source, fallbackLine: keyLine)
                // An empty value has no position of its own; point at its key instead.
                if converted.isNull { converted.source = source(keyLine) }
                entries.append(.init(key: keyScalar.string, keySource: source(keyLine), value: converted))
            }
            return YAMLNode(kind: .mapping(entries), source: source(line))
        case .alias:
            throw ComposeProblem(line: line, message: "YAML aliases are not supported here")
        }
    }

    /// Turns a Yams error into one line naming the problem and, when libyaml gives one,
    /// the construct it was reading ("while parsing a flow sequence started on line 1").
    private static func problem(from error: YamlError) -> ComposeProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text) started on line \($0.mark.line))" } ?? ""
            return ComposeProblem(line: mark.line, message: "YAML syntax error: \(problem)\(during)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = Suggestions.list(duplicates.map(quoted))
            return ComposeProblem(
                line: context.mark.line, message: "duplicate key \(keys): each key may appear once in a mapping")
        case .reader(let problem, _, _, _):
            return ComposeProblem(line: nil, message: "cannot read the text: \(problem)")
        default:
            return ComposeProblem(line: nil, message: "YAML error: \(error)")
        }
    }
}

extension YAMLNode {
    /// The node at `path`, or the deepest one on the way when the path goes further than
    /// the tree, with the file line of the last key or item reached.
    func deepest(at path: KeyPath) -> (node: YAMLNode, line: Int?) {
        var node = self
        var found = source.line
        for segment in path.segments {
            switch (segment, node.kind) {
            case (.key(let key), .mapping(let entries)):
                guard let entry = entries.first(where: { $0.key == key }) else { return (node, found) }
                found = entry.keySource.line ?? found
                node = entry.value
            case (.index(let i), .sequence(let items)) where items.indices.contains(i):
                node = items[i]
                found = node.source.line ?? found
            default:
                return (node, found)
            }
        }
        return (node, found)
    }

    /// The file line of the value at `path`, or of the deepest node on the way that has one.
    func line(at path: KeyPath) -> Int? { deepest(at: path).line }
}
