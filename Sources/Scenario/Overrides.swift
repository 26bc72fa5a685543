extension Override {
    /// Reads a `--set` argument, `PATH=VALUE`, split at the first `=` so values may contain
    /// `=` themselves.
    public static func parse(_ argument: String) throws(ScenarioError) -> Override {
        let asGiven = Override(path: argument, value: "")
        guard let equals = argument.firstIndex(of: "=") else {
            throw ScenarioError(
                file: "", line: nil, keyPath: "",
                message: "expected KEY=VALUE such as torrent.size=1GiB, got \(quoted(argument))", override: asGiven)
        }
        let path = String(argument[..<equals]).trimmingSpaces()
        guard !path.isEmpty else {
            throw ScenarioError(
                file: "", line: nil, keyPath: "", message: "the key before \"=\" is empty", override: asGiven)
        }
        return Override(path: path, value: String(argument[argument.index(after: equals)...]))
    }

    /// Every `--set` argument, in order; the first that is not `PATH=VALUE` throws.
    public static func parse(all arguments: [String]) throws(ScenarioError) -> [Override] {
        var parsed: [Override] = []
        for argument in arguments { parsed.append(try parse(argument)) }
        return parsed
    }
}

/// Applies overrides to the YAML tree before it is read, so an overridden value goes
/// through exactly the checks a value in the file does.
///
/// The path must name a key that could exist (`ScenarioSchema.shape`); a key that is
/// valid but absent is added. A value of `null` removes the key, which is how a variant
/// drops an optional setting (`peers.crowd.abort: null`) or swaps `up`/`down` for a
/// `bandwidth` list.
struct OverrideApplier {
    let override: Override
    let context: ParseContext

    func apply(to root: inout YAMLNode) throws(ScenarioError) {
        let path: KeyPath
        switch KeyPath.parseOverridePath(override.path) {
        case .success(let parsed): path = parsed
        case .failure(let problem): throw fail("the path \(problem.message)")
        }
        let value: YAMLNode?
        do throws(ComposeProblem) {
            let source = NodeSource.override(override, target: path)
            let composed = try YAMLComposer.compose(override.value) { _ in source }
            value = composed.flatMap { $0.isNull ? nil : $0 }
        } catch {
            throw fail(error.message)
        }
        try assign(value, at: path.segments[...], in: &root, shape: ScenarioSchema.shape, walked: .root)
    }

    /// Walks one segment down from `node`, whose allowed content is `shape`.
    private func assign(
        _ value: YAMLNode?, at segments: ArraySlice<KeyPath.Segment>, in node: inout YAMLNode,
        shape: ScenarioSchema.Shape, walked: KeyPath
    ) throws(ScenarioError) {
        guard let segment = segments.first else { return }
        let rest = segments.dropFirst()
        switch (shape, segment) {
        case (.mapping(let known), .key(let key)):
            guard let child = known.first(where: { $0.key == key }) else {
                let hint = Suggestions.hint(for: key, among: known.map(\.key), listIntro: "valid keys here are")
                throw fail("unknown key \(quoted(key))\(hint)")
            }
            if case .fixed(let reason) = child.shape { throw fail(reason) }
            try assignEntry(value, key: key, rest: rest, in: &node, shape: child.shape, walked: walked)
        case (.value, .key(let key)):
            try assignEntry(value, key: key, rest: rest, in: &node, shape: .value, walked: walked)
        case (.groups(let noun, let groupShape), _):
            let index = try groupIndex(segment, noun: noun, in: node, walked: walked)
            try assignElement(value, at: index, rest: rest, in: &node, shape: groupShape, walked: walked.index(index))
        case (.value, .index(let index)):
            guard case .sequence(let items) = node.kind, items.indices.contains(index) else {
                throw fail("\(walked) has no element [\(index)]")
            }
            try assignElement(value, at: index, rest: rest, in: &node, shape: .value, walked: walked.index(index))
        case (.mapping, .index), (.fixed, _):
            throw fail("\(walked) is not a list")
        }
    }

    /// Sets, removes or descends into `key` of the mapping `node`, creating it if absent.
    private func assignEntry(
        _ value: YAMLNode?, key: String, rest: ArraySlice<KeyPath.Segment>, in node: inout YAMLNode,
        shape: ScenarioSchema.Shape, walked: KeyPath
    ) throws(ScenarioError) {
        var entries: [YAMLNode.Entry]
        switch node.kind {
        case .mapping(let existing): entries = existing
        case .scalar where node.isNull: entries = []
        default:
            let name = walked.segments.isEmpty ? "the scenario" : walked.description
            throw fail("\(name) is \(node.kindName), not a mapping, so it has no key \(quoted(key))")
        }
        let position = entries.firstIndex(where: { $0.key == key })
        if rest.isEmpty {
            let source = NodeSource.override(override, target: walked.key(key))
            switch (position, value?.stamped(source)) {
            case (let position?, let value?): entries[position].value = value
            case (let position?, nil): entries.remove(at: position)
            case (nil, let value?): entries.append(.init(key: key, keySource: source, value: value))
            case (nil, nil): break
            }
        } else {
            let source = NodeSource.override(override, target: walked.key(key))
            var child = position.map { entries[$0].value } ?? YAMLNode(kind: .mapping([]), source: source)
            try assign(value, at: rest, in: &child, shape: shape, walked: walked.key(key))
            if let position {
                entries[position].value = child
            } else {
                entries.append(.init(key: key, keySource: source, value: child))
            }
        }
        node.kind = .mapping(entries)
    }

    /// Sets, removes or descends into element `index` of the list `node`.
    private func assignElement(
        _ value: YAMLNode?, at index: Int, rest: ArraySlice<KeyPath.Segment>, in node: inout YAMLNode,
        shape: ScenarioSchema.Shape, walked: KeyPath
    ) throws(ScenarioError) {
        guard case .sequence(var items) = node.kind else { return }
        if rest.isEmpty {
            if let value {
                items[index] = value.stamped(.override(override, target: walked))
            } else {
                items.remove(at: index)
            }
        } else {
            try assign(value, at: rest, in: &items[index], shape: shape, walked: walked)
        }
        node.kind = .sequence(items)
    }

    /// The position of the group named by `peers.NAME` or `peers[i]` (or a storage host
    /// or renter group); `noun` is what one group is called.
    private func groupIndex(
        _ segment: KeyPath.Segment, noun: String, in node: YAMLNode, walked: KeyPath
    ) throws(ScenarioError) -> Int {
        guard case .sequence(let items) = node.kind else {
            throw fail("\(walked) is \(node.kindName), not a list of \(noun)s")
        }
        switch segment {
        case .index(let index):
            guard items.indices.contains(index) else {
                throw fail(
                    "there is no \(walked)[\(index)]: the scenario has \(items.count) \(noun)\(items.count == 1 ? "" : "s") (indices count from 0)"
                )
            }
            return index
        case .key(let name):
            let names = items.map { Self.groupName(of: $0) ?? "" }
            guard let index = names.firstIndex(of: name) else {
                let hint = Suggestions.hint(for: name, among: names.filter { !$0.isEmpty }, listIntro: "groups are")
                throw fail("no \(noun) named \(quoted(name))\(hint)")
            }
            return index
        }
    }

    private static func groupName(of node: YAMLNode) -> String? {
        guard case .mapping(let entries) = node.kind else { return nil }
        return entries.first(where: { $0.key == "group" })?.value.scalarText
    }

    /// Path problems are about the override as written, so the message stands alone after
    /// `--set PATH` (or the variant) without a separate key path.
    private func fail(_ message: String) -> ScenarioError {
        context.error(message, at: .override(override, target: .root), path: .root)
    }
}
