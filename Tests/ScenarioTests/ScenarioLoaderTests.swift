import BitTorrent
import SimKernel
import Testing

@testable import Scenario

@Suite struct ScenarioLoaderTests {
    @Test func defaults() throws {
        let scenario = try parse(document())
        #expect(scenario.name == "t")
        #expect(scenario.seed == 1)
        #expect(scenario.duration == .hours(1))
        #expect(scenario.replications == 1)
        #expect(scenario.sampleInterval == .seconds(10))
        #expect(scenario.torrent == TorrentSpec(sizeBytes: 1_048_576, pieceSizeBytes: 262_144))
        #expect(scenario.network == NetworkSpec())
        #expect(scenario.protocolSettings == ProtocolSettings())
        #expect(scenario.peers.map(\.name) == ["seed", "crowd"])
        #expect(scenario.variants.isEmpty)
        #expect(scenario.sweep.isEmpty)
        #expect(scenario.source == ScenarioSource(file: "x.yaml", text: document(), overrides: []))
    }

    @Test func topLevelValues() throws {
        let yaml = """
            name: flash-crowd_2.v1
            seed: 18446744073709551615
            duration: 6 h
            replications: 5
            sample_interval: 1 min
            torrent:
              size: 100 MiB
              piece_size: 1 MiB
            protocol:
            peers:
              - {group: a, count: 1_000, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s}
            """
        let scenario = try parse(yaml)
        #expect(scenario.name == "flash-crowd_2.v1")
        #expect(scenario.seed == .max)
        #expect(scenario.duration == .hours(6))
        #expect(scenario.replications == 5)
        #expect(scenario.sampleInterval == .minutes(1))
        #expect(scenario.torrent == TorrentSpec(sizeBytes: 104_857_600, pieceSizeBytes: 1_048_576))
        #expect(scenario.protocolSettings == ProtocolSettings())
        #expect(scenario.peers[0].count == 1000)
    }

    @Test func protocolSettings() throws {
        let extra = """
            protocol:
              unchoke_slots: 8
              rechoke_interval: 5 s
              optimistic_interval: 20 s
              snub_timeout: 2 min
              request_timeout: 45 s
              max_connections: 50
              min_connections: 10
              min_announce_interval: 30 s
              numwant: 30
              announce_interval: 15 min
              request_queue_time: 4 s
              end_game: false
              piece_picker: sequential
              random_first_pieces: 0
            """
        let settings = try parse(document(extra: extra)).protocolSettings
        #expect(settings.unchokeSlots == 8)
        #expect(settings.rechokeInterval == .seconds(5))
        #expect(settings.optimisticInterval == .seconds(20))
        #expect(settings.snubTimeout == .minutes(2))
        #expect(settings.requestTimeout == .seconds(45))
        #expect(settings.maxConnections == 50)
        #expect(settings.minConnections == 10)
        #expect(settings.minAnnounceInterval == .seconds(30))
        #expect(settings.numwant == 30)
        #expect(settings.announceInterval == .minutes(15))
        #expect(settings.requestQueueTime == .seconds(4))
        #expect(settings.endGame == false)
        #expect(settings.piecePicker == .sequential)
        #expect(settings.randomFirstPieces == 0)
    }

    @Test func protocolSanity() {
        expectError(
            document(extra: "protocol: {unchoke_slots: 0}"), prefix: "x.yaml:7 protocol.unchoke_slots: ", "at least 1")
        expectError(
            document(extra: "protocol: {max_connections: 0}"), prefix: "x.yaml:7 protocol.max_connections: ",
            "at least 1")
        expectError(
            document(extra: "protocol: {min_connections: 90}"), prefix: "x.yaml:7 protocol.min_connections: ",
            "must not exceed max_connections (80)")
        expectError(
            document(extra: "protocol: {rechoke_interval: 0 s}"), prefix: "x.yaml:7 protocol.rechoke_interval: ",
            "must be positive")
        expectError(
            document(extra: "protocol: {request_timeout: 0 s}"), prefix: "x.yaml:7 protocol.request_timeout: ",
            "must be positive")
        expectError(
            document(extra: "protocol: {piece_picker: rarest}"), prefix: "x.yaml:7 protocol.piece_picker: ",
            "unknown piece picker \"rarest\"", "rarest-first")
        expectError(
            document(extra: "protocol: {end_game: maybe}"), prefix: "x.yaml:7 protocol.end_game: ", "true or false")
        expectError(
            document(extra: "protocol: {unchoke_slot: 4}"), prefix: "x.yaml:7 protocol.unchoke_slot: ",
            "unknown key; did you mean \"unchoke_slots\"?")
        expectError(document(extra: "protocol: [4]"), prefix: "x.yaml:7 protocol: ", "expected a mapping", "got a list")
    }

    @Test func topLevelErrors() {
        expectError(document().replacingOccurrences("name: t", "name: a/b"), prefix: "x.yaml:1 name: ", "folder name")
        expectError(document().replacingOccurrences("name: t", "name:"), prefix: "x.yaml:1 name: ", "has no value")
        expectError(
            document().replacingOccurrences("name: t\n", ""), prefix: "x.yaml:1 name: ", "required key is missing")
        expectError(document().replacingOccurrences("1 h", "0 s"), prefix: "x.yaml:2 duration: ", "must be positive")
        expectError(document().replacingOccurrences("1 h", "60"), prefix: "x.yaml:2 duration: ", "the unit is missing")
        expectError(document(extra: "seed: -1"), prefix: "x.yaml:7 seed: ", "whole number from 0")
        expectError(document(extra: "replications: 0"), prefix: "x.yaml:7 replications: ", "at least 1")
        expectError(document(extra: "sample_interval: 0 s"), prefix: "x.yaml:7 sample_interval: ", "must be positive")
        expectError(document(extra: "torrent: {size: 2 MiB}"), prefix: "x.yaml:", "duplicate key \"torrent\"")
    }

    @Test func torrentErrors() {
        expectError(
            document(torrent: "{size: 1048576}"), prefix: "x.yaml:3 torrent.size: ",
            "expected a size such as \"256 KiB\", got \"1048576\"")
        expectError(document(torrent: "{size: -1 MiB}"), prefix: "x.yaml:3 torrent.size: ", "must be positive")
        expectError(
            document(torrent: "{size: 1 MiB, piece_size: 100 KB}"), prefix: "x.yaml:3 torrent.piece_size: ",
            "multiple of 16 KiB")
        expectError(
            document(torrent: "{piece_size: 16 KiB}"), prefix: "x.yaml:3 torrent.size: ", "required key is missing")
        expectError(document(torrent: "1 MiB"), prefix: "x.yaml:3 torrent: ", "expected a mapping", "got \"1 MiB\"")
    }

    @Test func unknownKeysSuggestOrList() {
        let message = expectError(
            document().replacingOccurrences("torrent:", "torent:"), prefix: "x.yaml:3 torent: ", "unknown key")
        #expect(message == "x.yaml:3 torent: unknown key; did you mean \"torrent\"?")
        expectError(
            document(extra: "colour: blue"), prefix: "x.yaml:7 colour: ", "unknown key; valid keys here are name, seed")
    }

    @Test func malformedYAMLNamesTheLine() {
        let message = expectError("name: [unclosed", prefix: "x.yaml:2: YAML syntax error: ", "started on line 1")
        #expect(!message.contains("\n"))
        expectError("a: 1\n  b: 2\n", prefix: "x.yaml:2: YAML syntax error: ")
        // A tab in the indentation gets a plain message, not libyaml's "cannot start any token".
        expectError(
            "name: t\ntorrent:\n\tsize: 1 MiB\n",
            prefix: "x.yaml:3: YAML syntax error: this line is indented with a tab",
            "spaces only")
        expectError("", prefix: "x.yaml: the file is empty")
        expectError("# nothing\n", prefix: "x.yaml: the file is empty")
        expectError("- a\n- b\n", prefix: "x.yaml:1: expected a mapping of scenario keys")
    }

    @Test func missingFile() {
        #expect(
            throws: ScenarioError(
                file: "/nonexistent/x.yaml", line: nil, keyPath: "",
                message: "cannot read file (No such file or directory)")
        ) {
            try ScenarioLoader.load(path: "/nonexistent/x.yaml")
        }
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(path: "/tmp") }
    }

    @Test func errorShapeIsFileLineKeyMessage() {
        let error = ScenarioError(
            file: "Scenarios/x.yaml", line: 14, keyPath: "peers[1].up",
            message: "expected a rate such as \"1 Mbit/s\", got \"fast\"")
        #expect(
            error.description == "Scenarios/x.yaml:14 peers[1].up: expected a rate such as \"1 Mbit/s\", got \"fast\"")
        let multiline = ScenarioError(file: "x.yaml", line: 1, keyPath: "", message: "a\nb")
        #expect(multiline.description == "x.yaml:1: a b")
    }
}
