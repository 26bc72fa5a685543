extension Scenario {
    /// Every point of the `sweep:` grid, as the overrides that make it, in a fixed order:
    /// the first axis varies slowest, so point numbers (and `--shard`) are reproducible.
    /// One empty point when there is no sweep.
    public var sweepPoints: [[Override]] {
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
}
