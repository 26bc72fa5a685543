import Scenario

/// The four scenarios of `fidelity-agreement` (issue 22), as scenario files would write
/// them: each runs once per tier with `--set fidelity=…` on top, exactly as a user would.
extension FidelityAgreementCase {
    static let bharambe = Bandwidth.bharambe2006.groupYAML

    static let settings: [Setting] = [
        Setting(
            label: "flash crowd, 1,000 peers",
            yaml: """
                name: fidelity-flash-crowd
                duration: 6 h
                torrent: {size: 100 MiB, piece_size: 256 KiB}
                peers:
                  - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 10 Mbit/s, down: 10 Mbit/s}
                  - group: crowd
                    count: 1000
                    arrival: {at: 0 s}
                \(bharambe)
                    seeding: forever

                """,
            quantities: [meanDownload, p95Download, completion], inQuick: false),
        Setting(
            label: "Poisson steady state",
            yaml: """
                name: fidelity-steady-state
                duration: 4 h
                torrent: {size: 20 MiB, piece_size: 256 KiB}
                peers:
                  - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 1 Mbit/s, down: 1 Mbit/s}
                  - group: crowd
                    arrival: {poisson: {rate: 0.08/s}}
                \(bharambe)
                    seeding: {for: {exponential: {mean: 10 min}}}

                """,
            quantities: [meanDownload, p95Download, completion], inQuick: true),
        Setting(
            label: "Speed, rational seeding (speed-4)",
            yaml: """
                name: fidelity-speed-4
                duration: 8 h
                torrent: {size: 50 MiB, piece_size: 256 KiB}
                incentives: {bid: fixed, price: 4 BTT/GiB, reserve: 4 BTT/GiB, channel_deposit: 1 BTT, verify_fraction: 0.01}
                peers:
                  - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 5 Mbit/s, down: 5 Mbit/s, seeding: {for: 1 h}}
                  - group: crowd
                    arrival: {decaying: {rate: 120/h, tau: 1 h}}
                \(bharambe)
                    wallet: 20 BTT
                    seeding: {for: {exponential: {mean: 5 min}}, rational: {cost: {uniform: {min: 0.2 BTT/h, max: 2 BTT/h}}, interval: 10 min, window: 30 min}}
                    strategy: speed

                """,
            quantities: [meanDownload, p95Download, completion, lifetime, bttVolume], inQuick: false),
        Setting(
            label: "dying swarm",
            yaml: """
                name: fidelity-dying-swarm
                duration: 6 h
                sample_interval: 1 min
                torrent: {size: 5 MiB, piece_size: 256 KiB}
                peers:
                  - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s, seeding: {for: 30 min}}
                  - group: crowd
                    arrival: {poisson: {rate: 40/h, until: 6 h}}
                    bandwidth:
                      - {share: 0.5, down: 1500 kbit/s, up: 384 kbit/s}
                      - {share: 0.5, down: 3000 kbit/s, up: 1000 kbit/s}
                    seeding: {for: {exponential: {mean: 2 min}}}

                """,
            quantities: [meanDownload, p95Download, completion, lifetime], inQuick: true),
    ]
}
