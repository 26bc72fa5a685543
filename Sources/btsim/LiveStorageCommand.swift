import ArgumentParser
import Foundation
import Live
import NIOCore
import NIOPosix
import Scenario
import Storage

/// `btsim live store|host|challenge|restore`: BTFS's erasure coding and proofs of storage
/// on real bytes and real TCP. Putting a shard file in a host's directory stands for the
/// upload; challenges and answers go over the network.
extension LiveCommand {
    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store",
            abstract: "Cut a file into erasure-coded shards for storage hosts and write the renter's manifest.",
            discussion: """
                Shard i goes to the (i mod n)-th --to directory, named <file id>.<i>.shard. The
                manifest keeps each shard's SHA-256 and unused challenges with their answers, so
                the renter can check hosts without the file (`live challenge`) and read it back
                from any k good shards (`live restore`).
                Example: btsim live store movie.bin --code rs-4+2 --to hostA --to hostB --to hostC -m movie.json
                """)

        @Argument(help: "The file to store.")
        var file: String

        @Option(help: ArgumentHelp("rs-K+M (Reed–Solomon, any K of K+M shards) or replicas-N.", valueName: "code"))
        var code = "rs-10+20"

        @Option(name: .customLong("to"), help: ArgumentHelp("A host's shard directory (repeatable).", valueName: "DIR"))
        var hosts: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp("The manifest to write.", valueName: "X.json"))
        var manifest: String

        @Option(help: "Challenges prepared per shard (each is used once).")
        var challenges = 20

        @Option(help: ArgumentHelp("Chunk size that challenges name (BTFS: 256 KiB).", valueName: "size"))
        var chunkSize = "256KiB"

        func run() throws {
            guard let redundancy = Redundancy(label: code) else {
                throw BadInput(description: "--code: expected rs-K+M (K ≥ 1, K+M ≤ 255) or replicas-N, got \(code)")
            }
            guard !hosts.isEmpty else { throw BadInput(description: "--to: name at least one host directory") }
            guard challenges >= 1 else { throw BadInput(description: "--challenges: at least 1") }
            let chunk: Int
            do { chunk = Int(try SizeText.bytes(chunkSize)) } catch {
                throw BadInput(description: "--chunk-size: \(error)")
            }
            guard chunk >= 1, chunk <= ProofWire.maxChunkSize else {
                throw BadInput(
                    description:
                        "--chunk-size: between 1 byte and \(ProofWire.maxChunkSize >> 20) MiB (what a host reads per challenge)"
                )
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                throw BadInput(description: "\(file): cannot read")
            }
            var random = SystemRandomNumberGenerator()
            let (made, shards) = ShardManifest.make(
                name: (file as NSString).lastPathComponent, content: [UInt8](data), redundancy: redundancy,
                challenges: challenges, chunkSize: chunk, random: &random)
            for (i, shard) in shards.enumerated() {
                let dir = hosts[i % hosts.count]
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                let path = "\(dir)/\(ShardDirectory.fileName(file: made.file, shard: i))"
                guard FileManager.default.createFile(atPath: path, contents: Data(shard)) else {
                    throw BadInput(description: "\(path): cannot write")
                }
            }
            do { try made.save(manifest) } catch { throw BadInput(description: "\(error)") }
            print(
                "\(file): \(data.count) bytes as \(shards.count) shards of \(shards.first?.count ?? 0) bytes (\(code))")
            for (h, dir) in hosts.enumerated() {
                let held = stride(from: h, to: shards.count, by: hosts.count).map(String.init).joined(separator: ",")
                if !held.isEmpty { print("  \(dir): shards \(held)") }
            }
            print("\(manifest): \(challenges) challenges per shard")
        }
    }

    struct Host: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "host",
            abstract: "Answer proof-of-storage challenges for the shards in a directory (until Ctrl-C).")

        @Argument(help: "The directory of shard files.")
        var directory: String

        @Option(help: "TCP port to listen on (127.0.0.1; 0: any).")
        var port = 7000

        func run() throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else { throw BadInput(description: "\(directory): not a directory") }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            defer { try? group.syncShutdownGracefully() }
            let server = ProofServer(
                loop: group.next(), shards: ShardDirectory(path: directory),
                log: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
            do { try server.start(port: port).wait() } catch { throw BadInput(description: "port \(port): \(error)") }
            let count =
                (try? FileManager.default.contentsOfDirectory(atPath: directory))?
                .filter { $0.hasSuffix(".shard") }.count ?? 0
            FileHandle.standardError.write(
                Data("host: 127.0.0.1:\(server.port), \(count) shards in \(directory)\n".utf8))
            let interrupt = onInterrupt(on: group.next()) { _ = server.stop() }
            try? server.closed.wait()
            interrupt.cancel()
            let (answered, unanswered) = try group.next().submit { (server.answered, server.unanswered) }.wait()
            print("host: answered \(answered) challenges, could not answer \(unanswered)")
        }
    }

    struct Challenge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "challenge",
            abstract: "Challenge a storage host for shards it should hold; exit 0 only when every proof checks.",
            discussion: """
                Each challenge names a shard, a chunk and a fresh nonce; only a host holding the
                chunk can answer SHA-256(chunk ‖ nonce). The challenges used are removed from the
                manifest before they are sent (and put back if the host cannot be reached), so
                none is ever replayed.
                Example: btsim live challenge movie.json --host 127.0.0.1:7001 --shards 0,3
                """)

        @Argument(help: "The manifest written by `live store`.")
        var manifest: String

        @Option(help: ArgumentHelp("The storage host.", valueName: "HOST:PORT"))
        var host: String

        @Option(help: ArgumentHelp("Shards to challenge, comma-separated, or all.", valueName: "LIST"))
        var shards = "all"

        @Option(help: "Seconds to wait for the host.")
        var timeout = 10

        func run() throws {
            let original: ShardManifest
            do { original = try ShardManifest.load(manifest) } catch { throw BadInput(description: "\(error)") }
            var book = original
            let address = try parsePeer(host)
            let indices = try Self.shardList(shards, count: book.shardSHA256.count)
            var asked: [(shard: Int, answer: [UInt8])] = []
            var challenges: [StorageChallenge] = []
            for shard in indices {
                guard let next = book.book.next(shard: shard) else {
                    throw BadInput(description: "shard \(shard): no unused challenge left in \(manifest)")
                }
                challenges.append(next.challenge)
                asked.append((shard, next.answer))
            }
            do { try book.save(manifest) } catch { throw BadInput(description: "\(error)") }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            defer { try? group.syncShutdownGracefully() }
            let replies: [ProofWire.Reply]
            do {
                replies = try ProofClient.ask(
                    challenges, chunkSize: book.chunkSize, host: String(address.description.split(separator: ":")[0]),
                    port: Int(address.port),
                    on: group.next(), timeout: .seconds(Int64(timeout))
                ).wait()
            } catch {
                // Challenges that never reached the host may be asked again.
                if let failure = error as? ProofClient.Failure, !failure.delivered {
                    try? original.save(manifest)
                    throw RunFailure(description: "\(error); no challenge was used")
                }
                throw RunFailure(description: "\(error); every challenge failed")
            }
            var failed = 0
            for ((shard, expected), reply) in zip(asked, replies) {
                switch reply {
                case .proof(let proof) where ChallengeBook.passes(proof, expected: expected):
                    print("shard \(shard): proof checks")
                case .proof:
                    failed += 1
                    print("shard \(shard): FAILED, a wrong proof (the host's bytes differ)")
                case .failure(let why):
                    failed += 1
                    print("shard \(shard): FAILED, \(why)")
                }
            }
            guard failed == 0 else { throw RunFailure(description: "\(failed) of \(asked.count) challenges failed") }
        }

        static func shardList(_ text: String, count: Int) throws -> [Int] {
            if text == "all" { return Array(0..<count) }
            let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 0 && $0! < count }) else {
                throw BadInput(
                    description: "--shards: expected all or shard numbers from 0 to \(count - 1), got \(text)")
            }
            return parts.map { $0! }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "Read a stored file back from any k good shards (SHA-256 checked) in host directories.")

        @Argument(help: "The manifest written by `live store`.")
        var manifest: String

        @Option(
            name: .customLong("from"), help: ArgumentHelp("A host's shard directory (repeatable).", valueName: "DIR"))
        var directories: [String] = []

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the file.", valueName: "FILE"))
        var out: String

        func run() throws {
            let book: ShardManifest
            do { book = try ShardManifest.load(manifest) } catch { throw BadInput(description: "\(error)") }
            guard !directories.isEmpty else { throw BadInput(description: "--from: name at least one directory") }
            let restored: (content: [UInt8], used: [Int])
            do { restored = try book.restore(from: directories) } catch { throw RunFailure(description: "\(error)") }
            guard FileManager.default.createFile(atPath: out, contents: Data(restored.content)) else {
                throw BadInput(description: "\(out): cannot write")
            }
            let used = restored.used.map(String.init).joined(separator: ",")
            print("\(out): \(restored.content.count) bytes from shards \(used), SHA-256 matches")
        }
    }
}
