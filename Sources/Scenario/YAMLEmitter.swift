import Yams

/// Writes scenario trees back as YAML with Yams' emitter (libyaml), so that what is written
/// reads back as the same tree: plain scalars stay plain unless libyaml must quote them,
/// quoted and block scalars are double-quoted, and key order is kept.
extension YAMLNode {
    /// The value in flow style on one line (`{poisson: {rate: 2/s}}`), as override values and
    /// sweep labels carry it.
    func flowText() throws(ScenarioError) -> String {
        try Self.emit(yamsNode(flow: true))
    }

    /// The whole tree in block style, as a file.
    func blockText() throws(ScenarioError) -> String {
        try Self.emit(yamsNode(flow: false)) + "\n"
    }

    private func yamsNode(flow: Bool) -> Node {
        let style: (Node.Mapping.Style, Node.Sequence.Style) = flow ? (.flow, .flow) : (.block, .block)
        switch kind {
        case .scalar(let text, let plain):
            if isNull { return .scalar(.init("null", .implicit, .plain)) }
            return .scalar(.init(text, .implicit, plain ? .plain : .doubleQuoted))
        case .mapping(let entries):
            let pairs = entries.map { (Node.scalar(.init($0.key)), $0.value.yamsNode(flow: flow)) }
            return .mapping(.init(pairs, .implicit, style.0))
        case .sequence(let items):
            return .sequence(.init(items.map { $0.yamsNode(flow: flow) }, .implicit, style.1))
        }
    }

    private static func emit(_ node: Node) throws(ScenarioError) -> String {
        do {
            let text = try Yams.serialize(node: node, width: -1, allowUnicode: true, sortKeys: false)
            return text.hasSuffix("\n") ? String(text.dropLast()) : text
        } catch {
            throw ScenarioError(
                file: "", line: nil, keyPath: "", message: "cannot write the scenario as YAML (\(error))")
        }
    }
}
