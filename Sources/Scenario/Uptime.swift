import SimKernel

/// Periods online and offline, alternating (`uptime: {on, off}`): a BTFS host's, or a
/// publisher's that comes and goes (docs/scenarios.md).
public struct Uptime: Sendable, Equatable {
    public var on: Distribution
    public var off: Distribution

    public init(on: Distribution, off: Distribution) {
        self.on = on
        self.off = off
    }
}

extension ParseContext {
    /// `{on: DURATION, off: DURATION}`, each a duration or a distribution; `on` must have
    /// a positive mean (a peer or host never online takes no part).
    func uptime(_ node: YAMLNode, at path: KeyPath) throws(ScenarioError) -> Uptime {
        let periods = try MappingReader(
            node, at: path, keys: ScenarioSchema.uptime, context: self,
            expected: "expected {on: DURATION, off: DURATION}, each a duration or a distribution")
        let uptime = Uptime(
            on: try periods.require("on", distribution(_:at:)), off: try periods.require("off", distribution(_:at:)))
        guard uptime.on.mean > 0 else {
            throw error(
                "must have a positive mean (never online, it would take no part)", at: node, path: path.key("on"))
        }
        return uptime
    }
}
