import BitTorrent
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Live

/// The token bucket behind `--max-upload-rate` and `--max-download-rate`, on given times
/// (no clock): what it lets through over any span is at most the burst plus the rate
/// times the span, and it lets through that much when asked.
struct TokenBucketTests {
    let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func aFullBucketSpendsItsBurstThenWaitsAtTheRate() {
        var bucket = TokenBucket(rate: 1_000_000, now: t0)
        #expect(bucket.burst == 100_000)
        #expect(bucket.delay(for: 100_000, now: t0) == .zero)
        #expect(bucket.spend(100_000, now: t0) == .zero)
        // Empty: 50 kB more needs 50 ms at 1 MB/s.
        #expect(bucket.delay(for: 50_000, now: t0) == .milliseconds(50))
        #expect(bucket.delay(for: 50_000, now: t0 + .milliseconds(50)) == .zero)
        // A debt (bytes that came anyway) is paid off at the rate.
        #expect(bucket.spend(150_000, now: t0 + .milliseconds(50)) == .milliseconds(100))
        // Idle time saves up to the burst, no more.
        #expect(bucket.delay(for: 100_001, now: t0 + .seconds(10)) == .nanoseconds(1000))
    }

    @Test(arguments: [64_000.0, 1e6, 25e6])
    func nothingPassesFasterThanTheRateOverAnySpan(rate: Double) {
        // A sender that asks for 16 kB blocks whenever allowed, for 5 s.
        var bucket = TokenBucket(rate: rate, now: t0)
        var now = t0
        var sent: [(NIODeadline, Int)] = []
        while now < t0 + .seconds(5) {
            let wait = bucket.delay(for: 16_397, now: now)
            now = now + wait
            _ = bucket.spend(16_397, now: now)
            sent.append((now, 16_397))
        }
        let span = Double((sent.last!.0 - sent.first!.0).nanoseconds) / 1e9
        let total = Double(sent.dropLast().reduce(0) { $0 + $1.1 })
        #expect(total <= bucket.burst + rate * span + 1)
        #expect(total >= rate * span * 0.99, "the limit is also reached, not only respected")
    }
}

/// The limits over real TCP: a rate-limited seed and a rate-limited downloader still
/// move an identical file, and each limiter did hold traffic back.
@Suite(.serialized) struct LiveRateLimitTests {
    @Test(arguments: [true, false])
    func aLimitedSeedOrDownloaderStillDeliversTheFile(limitUpload: Bool) throws {
        // One side limited to 1 MB/s, the other not, so that limit is the one that binds.
        let t = LiveTransferTests()
        let s = try t.seeded(
            bytes: 1 << 20, configuration: .init(listenPort: 0, maxUploadRate: limitUpload ? 1_000_000 : nil))
        defer { try? s.group.syncShutdownGracefully() }
        let getter = LivePeer(
            metainfo: s.metainfo, store: try PieceStore(creating: t.dir + "/limited.bin", metainfo: s.metainfo),
            isSeed: false,
            configuration: .init(
                peers: [PeerAddress(ipv4: 0x7F00_0001, port: UInt16(s.seed.port))],
                maxDownloadRate: limitUpload ? nil : 1_000_000),
            loop: s.group.next(), log: { _ in })
        try getter.start().wait()
        try t.wait(getter.completion, on: s.group.next())
        #expect(FileManager.default.contents(atPath: t.dir + "/limited.bin") == Data(s.data))
        if limitUpload {
            #expect(try s.seed.loop.submit { s.seed.uploadLimiter?.deferred ?? 0 }.wait() > 0)
        } else {
            #expect(try getter.loop.submit { getter.downloadLimiter?.pauses ?? 0 }.wait() > 0)
        }
        _ = try? getter.stop().wait()
        _ = try? s.seed.stop().wait()
    }
}
