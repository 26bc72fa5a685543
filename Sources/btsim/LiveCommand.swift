import ArgumentParser
import BitTorrent
import Foundation
import Live
import NIOCore
import NIOPosix
import Scenario

#if canImport(Glibc)
    import Glibc
#endif

/// `btsim live`: the BitTorrent code over real TCP.
struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Real TCP: make torrents, seed, download, track; store files on BTFS hosts and challenge them.",
        discussion: """
            Example on one machine, each in its own terminal:
              btsim live tracker --port 8000
              btsim live make-torrent movie.bin -o movie.torrent --tracker http://127.0.0.1:8000/announce
              btsim live seed movie.torrent --data movie.bin --port 6881
              btsim live get movie.torrent --out downloads/
            or without a tracker: btsim live get movie.torrent --peer 127.0.0.1:6881 --out downloads/
            Paying the seed in BTT with BitTorrent Speed, on a ledger file both share:
              btsim live ledger bank.json --open seeder=0 --open leecher=100
              btsim live seed movie.torrent --data movie.bin --strategy speed --ledger bank.json --account seeder --price 2
              btsim live get movie.torrent --peer 127.0.0.1:6881 --out downloads/ \\
                --strategy speed --ledger bank.json --account leecher --price 2
              btsim live ledger bank.json
            Storing a file on BTFS hosts and checking they keep it (proofs of storage over TCP):
              btsim live store movie.bin --code rs-4+2 --to hostA --to hostB --to hostC -m movie.json
              btsim live host hostA --port 7001
              btsim live challenge movie.json --host 127.0.0.1:7001 --shards 0,3
              btsim live restore movie.json --from hostB --from hostC -o movie.copy
            Peers listen on 127.0.0.1 unless --listen says otherwise.
            """,
        subcommands: [
            MakeTorrent.self, Seed.self, Get.self, TrackerServer.self, LedgerCommand.self, Store.self, Host.self,
            Challenge.self, Restore.self,
        ]
    )
}

extension LiveCommand {
    struct MakeTorrent: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "make-torrent", abstract: "Write a .torrent for a file (real SHA-1 piece hashes).")

        @Argument(help: "The file to share.")
        var file: String

        @Option(name: .shortAndLong, help: ArgumentHelp("The .torrent to write.", valueName: "X.torrent"))
        var output: String

        @Option(help: ArgumentHelp("Piece size, a multiple of 16 KiB.", valueName: "size"))
        var pieceSize = "256KiB"

        @Option(help: ArgumentHelp("Tracker announce URL to record in the torrent.", valueName: "URL"))
        var tracker: String?

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw BadInput(description: "\(file): cannot read")
            }
            let pieceLength: Int
            do { pieceLength = Int(try SizeText.bytes(pieceSize)) } catch {
                throw BadInput(description: "--piece-size: \(error)")
            }
            guard pieceLength % PieceLayout.standardBlockLength == 0 else {
                throw BadInput(description: "--piece-size: must be a multiple of 16 KiB, got \(pieceSize)")
            }
            let metainfo: Metainfo
            do {
                metainfo = try Metainfo.make(
                    name: (file as NSString).lastPathComponent, content: data, pieceLength: pieceLength,
                    announce: tracker)
            } catch {
                throw BadInput(description: "\(file): \(error)")
            }
            guard FileManager.default.createFile(atPath: output, contents: Data(metainfo.encoded())) else {
                throw BadInput(description: "\(output): cannot write")
            }
            print("\(output): \(metainfo.pieceCount) pieces of \(pieceLength) bytes, info-hash \(metainfo.infoHash)")
        }
    }

    struct Seed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed", abstract: "Serve a complete file to peers that connect (until Ctrl-C).")

        @Argument(help: "The .torrent.")
        var torrent: String

        @Option(help: "The complete file the torrent describes.")
        var data: String

        @Option(help: "TCP port to listen on (see --listen).")
        var port = 6881

        @OptionGroup(title: "Connections") var connections: LiveConnectionOptions

        @OptionGroup(title: "Protocol")
        var protocolOptions: LiveProtocolOptions

        @Option(help: ArgumentHelp("Tracker announce URL (default: the torrent's).", valueName: "URL"))
        var tracker: String?

        @Option(
            name: .customLong("peer"),
            help: ArgumentHelp(
                "A downloader to connect to (repeatable), for clients that take no tracker peers on 127.0.0.1 (Transmission).",
                valueName: "HOST:PORT"))
        var peers: [String] = []

        @OptionGroup(title: "BitTorrent Speed")
        var speed: LiveSpeedOptions

        @OptionGroup(title: "Trace")
        var trace: LiveTraceOptions

        func run() throws {
            let metainfo = try readTorrent(torrent)
            let settings = try protocolOptions.settings()
            let rates = try connections.rates()
            let addresses = try peers.map(parsePeer)
            let trader = try speed.trader(downloading: false, uploadBytesPerSecond: rates.upload)
            let store: PieceStore
            do { store = try PieceStore(seeding: data, metainfo: metainfo) } catch {
                throw BadInput(description: "\(error)")
            }
            let events = try trace.sink()
            try runPeer(
                metainfo: metainfo, store: store, isSeed: true,
                configuration: LivePeer.Configuration(
                    listenPort: port, listenAddress: try connections.address(), peers: addresses,
                    tracker: tracker ?? metainfo.announce, settings: settings, events: events,
                    encryption: connections.encryption, maxUploadRate: rates.upload, maxDownloadRate: rates.download),
                trader: trader, untilComplete: false)
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Download a torrent, verifying every piece; exit 0 only when complete and correct.")

        @Argument(help: "The .torrent.")
        var torrent: String

        @Option(
            name: .customLong("peer"), help: ArgumentHelp("A peer to connect to (repeatable).", valueName: "HOST:PORT"))
        var peers: [String] = []

        @Option(help: ArgumentHelp("Folder for the downloaded file.", valueName: "DIR"))
        var out = "."

        @Option(help: "TCP port to listen on as well (0: any); with a tracker it defaults to 0, else none.")
        var port: Int?

        @OptionGroup(title: "Connections") var connections: LiveConnectionOptions

        @OptionGroup(title: "Protocol")
        var protocolOptions: LiveProtocolOptions

        @Option(help: ArgumentHelp("Tracker announce URL (default: the torrent's).", valueName: "URL"))
        var tracker: String?

        @OptionGroup(title: "BitTorrent Speed")
        var speed: LiveSpeedOptions

        @OptionGroup(title: "Trace")
        var trace: LiveTraceOptions

        func run() throws {
            let metainfo = try readTorrent(torrent)
            let settings = try protocolOptions.settings()
            let rates = try connections.rates()
            let trader = try speed.trader(downloading: true, uploadBytesPerSecond: rates.upload)
            let addresses = try peers.map(parsePeer)
            let tracker = tracker ?? metainfo.announce
            guard !addresses.isEmpty || tracker != nil else {
                throw BadInput(
                    description: "give --peer HOST:PORT or a tracker (--tracker, or an announce URL in the torrent)")
            }
            let events = try trace.sink()
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let path = (out as NSString).appendingPathComponent(metainfo.name)
            let store: PieceStore
            do { store = try PieceStore(creating: path, metainfo: metainfo) } catch {
                throw BadInput(description: "\(error)")
            }
            try runPeer(
                metainfo: metainfo, store: store, isSeed: false,
                configuration: LivePeer.Configuration(
                    listenPort: port ?? (tracker == nil ? nil : 0), listenAddress: try connections.address(),
                    peers: addresses, tracker: tracker, settings: settings, events: events,
                    encryption: connections.encryption, maxUploadRate: rates.upload, maxDownloadRate: rates.download),
                trader: trader, untilComplete: true)
            print("\(path): complete, every piece verified")
        }
    }

    struct TrackerServer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tracker",
            abstract: "Run an HTTP tracker (BEP 3 announces, compact peer lists) until Ctrl-C.")

        @Option(help: "TCP port to listen on (127.0.0.1).")
        var port = 8000

        func run() throws {
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            defer { try? group.syncShutdownGracefully() }
            let tracker = HTTPTracker(loop: group.next())
            do { try tracker.start(port: port).wait() } catch { throw BadInput(description: "port \(port): \(error)") }
            FileHandle.standardError.write(Data("tracker: http://127.0.0.1:\(tracker.port)/announce\n".utf8))
            let interrupt = onInterrupt(on: group.next()) { _ = tracker.stop() }
            try? tracker.closed.wait()
            interrupt.cancel()
        }
    }
}

func readTorrent(_ path: String) throws -> Metainfo {
    guard let bytes = FileManager.default.contents(atPath: path) else {
        throw BadInput(description: "\(path): cannot read")
    }
    do { return try Metainfo(decoding: bytes) } catch { throw BadInput(description: "\(path): \(error)") }
}

func parsePeer(_ text: String) throws -> PeerAddress {
    let parts = text.split(separator: ":")
    guard parts.count == 2, let port = Int64(parts[1]),
        let address = PeerAddress(dottedQuad: String(parts[0]), port: port)
    else {
        throw BadInput(description: "--peer: expected an IPv4 address and port such as 127.0.0.1:6881, got \(text)")
    }
    return address
}

/// Set by the SIGINT handler; polled on the event loop (a signal handler may do nothing
/// else safely).
nonisolated(unsafe) private var interruptRequested: sig_atomic_t = 0

/// Ctrl-C runs `handler` on `loop` instead of killing the process, so peers leave cleanly
/// (announce `stopped`, close connections). Polled every 100 ms: a Dispatch signal source
/// would miss a SIGINT that the shell set to be ignored for background jobs.
@discardableResult
func onInterrupt(on loop: EventLoop, _ handler: @escaping @Sendable () -> Void) -> RepeatedTask {
    signal(SIGINT) { _ in interruptRequested = 1 }
    return loop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { task in
        guard interruptRequested != 0 else { return }
        task.cancel()
        handler()
    }
}

/// Runs one live peer on its own event loop until it completes (get) or Ctrl-C (both).
/// A Speed trader's peer also advances the shared chain every second (blocks, deposits
/// and fees are due by wall-clock time) and reports its payments at the end.
func runPeer(
    metainfo: Metainfo, store: PieceStore, isSeed: Bool, configuration: LivePeer.Configuration,
    trader: LiveTrader, untilComplete: Bool
) throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let loop = group.next()
    defer { try? group.syncShutdownGracefully() }
    let peer = LivePeer(
        metainfo: metainfo, store: store, isSeed: isSeed, configuration: configuration, loop: loop,
        strategy: trader.strategy, log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
    if let speed = trader.speed {
        loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in
            speed.market.advanceChain(to: peer.now)
        }
    }
    defer {
        if let speed = trader.speed, let summary = try? loop.submit({ speed.summary }).wait() { print(summary) }
    }
    do { try peer.start().wait() } catch { throw BadInput(description: "cannot listen: \(error)") }
    if configuration.listenPort != nil {
        let host = PeerAddress(ipv4: configuration.listenAddress, port: 0).host
        FileHandle.standardError.write(Data("listening on \(host):\(peer.port)\n".utf8))
    }
    let interrupt = onInterrupt(on: group.next()) { _ = peer.stop() }
    defer { interrupt.cancel() }
    if untilComplete {
        do { try peer.completion.wait() } catch is CancellationError {
            throw RunFailure(description: "interrupted before the download completed")
        } catch {
            throw RunFailure(description: "\(error)")
        }
        try? peer.stop().wait()
    } else {
        try? peer.stopped.wait()
    }
}
