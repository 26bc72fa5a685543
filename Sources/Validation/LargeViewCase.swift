import Scenario
import SimKernel
import Swarm

/// Large-view free-riders against Sirivianos, Park, Chen and Yang, "Free-riding in
/// BitTorrent networks with the large view exploit" (IPTPS 2007), on PlanetLab torrents
/// of about 300 leechers (docs/validation.md, "large-view"). The swarm is
/// Scenarios/large-view.yaml's base: 300 Bharambe-mix leechers, 10 % of them free-riders
/// with 300 connections, `numwant` 200 and a re-announce a minute.
///
/// - *The exploit pays*: large-view free-riders download faster than compliant peers of
///   the same swarm while they are a minority. Checked as a direction, per run: 1 −
///   (free-riders' mean ÷ compliant mean) above zero.
/// - *The view is what pays*: the same free-riders with the default view are slower.
///   Checked: (default-view mean − large-view mean) ÷ large-view mean above zero, paired.
/// - *Above about 40 % the advantage goes*: reported at 60 %, the gain as in the first
///   check; btsim keeps it there (docs/guide.md), so this is not checked.
struct LargeViewCase: ValidationCase {
    let name = "large-view"
    static let replications = 8

    func checks(quick: Bool, runner: ValidationRunner) throws -> [ValidationCheck] {
        // Three settings of 300 peers and eight runs: a minute or two, not for --quick.
        guard !quick else { return [] }
        let large = try runs(runner, "large view, 10 %", [])
        let normal = try runs(runner, "default view, 10 %", Self.defaultView)
        let majority = try runs(runner, "large view, 60 %", Self.share(freeRiders: 180))
        let viewPays = zip(large, normal).compactMap { l, n -> Double? in
            guard let fast = l.meanDownload(group: "freeriders"), let slow = n.meanDownload(group: "freeriders"),
                fast > 0
            else { return nil }
            return (slow - fast) / fast
        }
        return [
            ValidationCheck(
                model: "Sirivianos et al. 2007 (PlanetLab)", setting: "10 % large-view free-riders",
                quantity: "free-riders' gain over compliant peers", expected: nil, values: large.compactMap(Self.gain),
                rule: .above(0)),
            ValidationCheck(
                model: "Sirivianos et al. 2007 (PlanetLab)", setting: "10 % free-riders, default view against large",
                quantity: "mean download, default − large view relative", expected: nil, values: viewPays,
                rule: .above(0)),
            ValidationCheck(
                model: "Sirivianos et al. 2007 (PlanetLab)", setting: "60 % large-view free-riders",
                quantity: "free-riders' gain over compliant peers (published: none above 40 %)", expected: 0,
                values: majority.compactMap(Self.gain), rule: .reported),
        ].compactMap { $0 }
    }

    private func runs(_ runner: ValidationRunner, _ label: String, _ overrides: [Override]) throws -> [RunResult] {
        try runner.run(
            ScenarioLoader.parse(yaml: Self.swarm, file: "large-view/\(label)", overrides: overrides),
            replications: Self.replications)
    }

    /// 1 − free-riders' mean download ÷ compliant mean, in a run where both groups all
    /// completed (a censored download would bias the ratio; such a run gives no value).
    static func gain(_ run: RunResult) -> Double? {
        guard run.completion(group: "freeriders") == 1, run.completion(group: "compliant") == 1,
            let riders = run.meanDownload(group: "freeriders"), let compliant = run.meanDownload(group: "compliant"),
            compliant > 0
        else { return nil }
        return 1 - riders / compliant
    }

    static func set(_ path: String, _ value: String) -> Override {
        Override(path: path, value: value, origin: .commandLine)
    }

    static let defaultView = [
        set("peers.freeriders.protocol.max_connections", "80"), set("peers.freeriders.protocol.min_connections", "20"),
        set("peers.freeriders.protocol.numwant", "50"),
    ]

    /// `freeRiders` of the 300 leechers free-ride; each group arrives at its share of 1/s.
    static func share(freeRiders: Int) -> [Override] {
        [
            set("peers.compliant.count", "\(300 - freeRiders)"),
            set("peers.compliant.arrival.poisson.rate", "\(Double(300 - freeRiders) / 300)/s"),
            set("peers.freeriders.count", "\(freeRiders)"),
            set("peers.freeriders.arrival.poisson.rate", "\(Double(freeRiders) / 300)/s"),
        ]
    }

    /// Scenarios/large-view.yaml's base (LargeViewCaseTests keeps the two equal).
    static let swarm = """
        name: large-view
        duration: 4 h
        torrent: {size: 50 MiB, piece_size: 256 KiB}
        peers:
          - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s}
          - group: compliant
            count: 270
            arrival: {poisson: {rate: 0.9/s, until: 1 h}}
            seeding: {for: 2 min}
        \(Bandwidth.bharambe2006.groupYAML)
          - group: freeriders
            count: 30
            arrival: {poisson: {rate: 0.1/s, until: 1 h}}
            seeding: {for: 0 s}
            strategy: freerider
            protocol: {max_connections: 300, min_connections: 300, numwant: 200}
        \(Bandwidth.bharambe2006.groupYAML)

        """
}
