import SimKernel
import Strategies

/// A scenario that is valid but cannot mean what its author probably meant: `btsim check`
/// prints these on stderr after "ok", and so do the commands that run (docs/scenarios.md,
/// "Warnings"). The exit status stays 0.
public struct ScenarioWarning: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// The line of the first key in the file; nil for keys set by `--set`, a variant or a sweep.
    public var line: Int?
    /// The keys concerned, as dotted paths with group names (`peers.crowd.wallet`).
    public var keys: [String]
    public var message: String
    /// `variant NAME` or `sweep point N` when only that derived scenario has the problem.
    public var context: String?

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        let within = context.map { " (\($0))" } ?? ""
        return "\(place) \(keys.joined(separator: ", "))\(within): \(message)"
    }
}

extension ScenarioLoader {
    /// Every warning of `scenario`, its variants and its sweep points; a problem shared by
    /// the base and a derived scenario is reported once, for the base.
    public static func warnings(of scenario: Scenario) -> [ScenarioWarning] {
        var found = findings(scenario).map { locate($0, in: scenario, context: nil) }
        var derived: [(String, Scenario)] = []
        for variant in scenario.variants {
            if let s = try? self.scenario(for: variant, of: scenario) { derived.append(("variant \(variant.name)", s)) }
        }
        if scenario.hasSweep {
            for (k, point) in scenario.sweepPoints.enumerated() {
                if let s = try? self.scenario(atSweepPoint: point, of: scenario) {
                    derived.append(("sweep point \(k + 1)", s))
                }
            }
        }
        for (context, s) in derived {
            for finding in findings(s)
            where !found.contains(where: { $0.message == finding.message && $0.keys == finding.keys }) {
                found.append(locate(finding, in: s, context: context))
            }
        }
        // Rational seeding pays only when someone earns: somewhere in the base or a variant.
        let all = [scenario] + derived.map(\.1)
        if let i = scenario.peers.firstIndex(where: { $0.rationalSeeding != nil }),
            !all.contains(where: { s in s.peers.contains { $0.strategy.market == .speed } })
        {
            found.append(
                locate(
                    Finding(
                        path: KeyPath.root.key("peers").index(i).key("seeding"),
                        keys: ["peers.\(scenario.peers[i].name).seeding.rational"],
                        message:
                            "rational seeding weighs BTT earnings against a cost, but no group in the scenario or its variants runs `speed`, so nobody earns and every such peer leaves after its `for:` time"
                    ), in: scenario, context: nil))
        }
        return found
    }

    /// What is wrong with one scenario, before lines are looked up.
    struct Finding {
        var path: KeyPath
        var keys: [String]
        var message: String
    }

    static func findings(_ s: Scenario) -> [Finding] {
        var found: [Finding] = []
        let peers = KeyPath.root.key("peers")
        if !s.peers.isEmpty && !s.peers.contains(where: { $0.hasFile && $0.canArrive(before: s.duration) }) {
            found.append(
                Finding(
                    path: peers, keys: ["peers"],
                    message:
                        "no peer group with `has_file: true` arrives before `duration`: the swarm can never hold a full copy, so every run counts it as dead at 0"
                ))
        }
        if s.sampleInterval >= s.duration {
            found.append(
                Finding(
                    path: .root.key("sample_interval"), keys: ["sample_interval", "duration"],
                    message:
                        "`sample_interval` is not shorter than `duration`, so timeseries.csv has at most one sample per run"
                ))
        }
        // torrent_timeseries.csv has a row per torrent and sample (docs/metrics.md).
        if let catalog = s.catalog, s.sampleInterval > .zero {
            let rows = Double(catalog.torrents) * (s.duration.seconds / s.sampleInterval.seconds).rounded(.down)
            if rows > 5_000_000 {
                found.append(
                    Finding(
                        path: .root.key("sample_interval"), keys: ["sample_interval", "catalog.torrents"],
                        message:
                            "torrent_timeseries.csv will have \(Int(rows)) rows per run (a row per torrent and sample) and every sample is held in memory; a longer `sample_interval` keeps it small"
                    ))
            }
        }
        for (i, g) in s.peers.enumerated() where g.count != 0 {
            let group = peers.index(i)
            switch g.arrival {
            case .at(let t) where t >= s.duration:
                found.append(
                    Finding(
                        path: group.key("arrival"), keys: ["peers.\(g.name).arrival"],
                        message: "the group arrives at or after `duration`, so none of its peers takes part"))
            case .poisson(_, let until?) where until > s.duration, .decaying(_, _, let until?) where until > s.duration:
                found.append(
                    Finding(
                        path: group.key("arrival"), keys: ["peers.\(g.name).arrival", "duration"],
                        message: "arrivals are set to continue past `duration`; the runs stop them at `duration`"))
            default: break
            }
            // A group that arrives with the file never buys a slot, so it needs no funds.
            if g.strategy.market == .speed && !g.hasFile && g.wallet.ledger.baseUnits == 0
                && g.wallet.chain.baseUnits == 0
            {
                found.append(
                    Finding(
                        path: group.key("strategy"), keys: ["peers.\(g.name).strategy", "peers.\(g.name).wallet"],
                        message:
                            "the group runs `\(g.strategy.name)`, which trades on the Speed market, with no funds (no `wallet`): it can win no paid slot until it earns"
                    ))
            }
        }
        let speedPeers = s.peers.filter { $0.strategy.market == .speed && $0.count != 0 }
        if speedPeers.count > 0, s.incentives.bid == .fixed, s.incentives.price < s.incentives.reserve {
            found.append(
                Finding(
                    path: .root.key("incentives").key("price"), keys: ["incentives.price", "incentives.reserve"],
                    message:
                        "every fixed bid (\(s.incentives.price)) is below the reserve (\(s.incentives.reserve)): no slot is ever sold, so no BTT moves"
                ))
        }
        return found
    }

    /// The finding with the file line of its key (or of the nearest key above it that the
    /// file has), when the value came from the file.
    static func locate(_ finding: Finding, in scenario: Scenario, context: String?) -> ScenarioWarning {
        let file = scenario.source?.file ?? scenario.name
        var line: Int?
        if let source = scenario.source, let root = try? tree(of: source, context: ParseContext(file: source.file)) {
            line = root.line(at: finding.path)
        }
        return ScenarioWarning(file: file, line: line, keys: finding.keys, message: finding.message, context: context)
    }
}

extension PeerGroup {
    /// Whether a peer of this group can arrive before `end`.
    func canArrive(before end: SimTime) -> Bool {
        guard count != 0 else { return false }
        return switch arrival {
        case .at(let t): t < end
        case .poisson, .decaying: true
        }
    }
}
