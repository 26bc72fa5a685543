import ArgumentParser
import BitTorrent
import Dispatch
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
        abstract: "Run the BitTorrent client over real TCP: make torrents, seed and download.",
        discussion: """
            Example, two terminals on one machine:
              btsim live make-torrent movie.bin -o movie.torrent
              btsim live seed movie.torrent --data movie.bin --port 6881
              btsim live get movie.torrent --peer 127.0.0.1:6881 --out downloads/
            """,
        subcommands: [MakeTorrent.self, Seed.self, Get.self]
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

        @Option(help: "TCP port to listen on (127.0.0.1).")
        var port = 6881

        func run() throws {
            let metainfo = try readTorrent(torrent)
            let store: PieceStore
            do { store = try PieceStore(seeding: data, metainfo: metainfo) } catch {
                throw BadInput(description: "\(error)")
            }
            try runPeer(
                metainfo: metainfo, store: store, isSeed: true,
                configuration: LivePeer.Configuration(listenPort: port), untilComplete: false)
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Download a torrent from peers, verifying every piece; exit 0 when complete and correct.")

        @Argument(help: "The .torrent.")
        var torrent: String

        @Option(
            name: .customLong("peer"), help: ArgumentHelp("A peer to connect to (repeatable).", valueName: "HOST:PORT"))
        var peers: [String] = []

        @Option(help: ArgumentHelp("Folder for the downloaded file.", valueName: "DIR"))
        var out = "."

        @Option(help: "TCP port to listen on as well (0: any); none by default.")
        var port: Int?

        func run() throws {
            let metainfo = try readTorrent(torrent)
            let addresses = try peers.map(parsePeer)
            guard !addresses.isEmpty else { throw BadInput(description: "give at least one --peer HOST:PORT") }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let path = (out as NSString).appendingPathComponent(metainfo.name)
            let store: PieceStore
            do { store = try PieceStore(creating: path, metainfo: metainfo) } catch {
                throw BadInput(description: "\(error)")
            }
            try runPeer(
                metainfo: metainfo, store: store, isSeed: false,
                configuration: LivePeer.Configuration(listenPort: port, peers: addresses), untilComplete: true)
            print("\(path): complete, every piece verified")
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
    let octets = parts.first.map { $0.split(separator: ".").compactMap { UInt32($0) } } ?? []
    guard parts.count == 2, octets.count == 4, octets.allSatisfy({ $0 < 256 }), let port = UInt16(parts[1]) else {
        throw BadInput(description: "--peer: expected an IPv4 address and port such as 127.0.0.1:6881, got \(text)")
    }
    return PeerAddress(ipv4: octets.reduce(0) { $0 << 8 | $1 }, port: port)
}

/// Runs one live peer on its own event loop until it completes (get) or Ctrl-C (both),
/// printing progress lines on stderr.
func runPeer(
    metainfo: Metainfo, store: PieceStore, isSeed: Bool, configuration: LivePeer.Configuration, untilComplete: Bool
) throws {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    defer { try? group.syncShutdownGracefully() }
    let loop = group.next()
    let peer = LivePeer(
        metainfo: metainfo, store: store, isSeed: isSeed, configuration: configuration, loop: loop,
        log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
    try peer.start().wait()
    if let port = configuration.listenPort {
        FileHandle.standardError.write(Data("listening on 127.0.0.1:\(port == 0 ? peer.port : port)\n".utf8))
    }
    signal(SIGINT, SIG_IGN)
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    interrupt.setEventHandler { _ = peer.stop() }
    interrupt.resume()
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
