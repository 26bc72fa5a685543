/// A location inside the scenario tree, such as `peers[1].bandwidth[0].up`.
///
/// List indices count from 0 in messages and in override paths alike, so a path copied
/// from an error message works with `--set`.
struct KeyPath: Equatable, CustomStringConvertible, Sendable {
    enum Segment: Equatable, Sendable {
        case key(String)
        case index(Int)
    }

    var segments: [Segment] = []

    static let root = KeyPath()

    func key(_ name: String) -> KeyPath {
        KeyPath(segments: segments + [.key(name)])
    }

    func index(_ position: Int) -> KeyPath {
        KeyPath(segments: segments + [.index(position)])
    }

    var description: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .key(let name): text += text.isEmpty ? name : ".\(name)"
            case .index(let position): text += "[\(position)]"
            }
        }
        return text
    }

    /// Parses an override path: dot-separated keys, each optionally followed by `[n]`
    /// indices (`peers[1].count`, `peers.crowd.bandwidth[0].up`). Returns a message on
    /// malformed input.
    static func parseOverridePath(_ text: String) -> Result<KeyPath, PathSyntaxError> {
        var segments: [Segment] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard let bracket = part.firstIndex(of: "[") else {
                guard !part.isEmpty else { return .failure(PathSyntaxError("has an empty key")) }
                segments.append(.key(String(part)))
                continue
            }
            let name = part[..<bracket]
            guard !name.isEmpty else { return .failure(PathSyntaxError("has an index without a key before it")) }
            segments.append(.key(String(name)))
            switch parseIndices(part[bracket...]) {
            case .success(let indices): segments += indices.map { .index($0) }
            case .failure(let error): return .failure(error)
            }
        }
        return .success(KeyPath(segments: segments))
    }

    /// Parses `[1][2]` into indices.
    private static func parseIndices(_ text: Substring) -> Result<[Int], PathSyntaxError> {
        var indices: [Int] = []
        var rest = text
        while !rest.isEmpty {
            guard rest.first == "[", let close = rest.firstIndex(of: "]") else {
                return .failure(PathSyntaxError("has a malformed index in \(quoted(String(text)))"))
            }
            let digits = rest[rest.index(after: rest.startIndex)..<close]
            guard let position = Int(digits), position >= 0 else {
                return .failure(
                    PathSyntaxError("has an index that is not a whole number ≥ 0: \(quoted(String(digits)))"))
            }
            indices.append(position)
            rest = rest[rest.index(after: close)...]
        }
        return .success(indices)
    }
}

/// Why an override path could not be read.
struct PathSyntaxError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
