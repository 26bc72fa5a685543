extension Scenario {
    /// Whether the scenario has a `sweep:`, as a grid or as a list of points.
    public var hasSweep: Bool { !sweep.isEmpty || !sweepList.isEmpty }

    /// Every sweep point, as the overrides that make it, in a fixed order so that point
    /// numbers (and `--shard`) are reproducible: a list's points as written, or the grid's
    /// cartesian product with the first axis varying slowest. One empty point when there is
    /// no sweep.
    public var sweepPoints: [[Override]] {
        if !sweepList.isEmpty { return sweepList }
        var points: [[Override]] = [[]]
        for axis in sweep {
            var next: [[Override]] = []
            next.reserveCapacity(points.count * axis.values.count)
            for point in points {
                for value in axis.values {
                    next.append(point + [Override(path: axis.path, value: value, origin: .sweep(line: axis.line))])
                }
            }
            points = next
        }
        return points
    }

    /// The swept keys, in order: the grid's axes, or every key a listed point sets, in the
    /// order they first appear.
    public var sweepPaths: [String] {
        guard !sweepList.isEmpty else { return sweep.map(\.path) }
        var paths: [String] = []
        for point in sweepList { for o in point where !paths.contains(o.path) { paths.append(o.path) } }
        return paths
    }
}
