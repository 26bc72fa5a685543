import DequeModule
import NIOCore

/// `--max-upload-rate`: piece messages leave in the order the client sent them, each once
/// the bucket holds its bytes. Control messages do not wait (as in the simulator's links,
/// where they overtake data), so a choke or a `have` is never stuck behind blocks.
final class UploadLimiter {
    private var bucket: TokenBucket
    private var waiting: Deque<(bytes: Int, send: () -> Void)> = []
    private var scheduled: Scheduled<Void>?
    private let loop: EventLoop
    /// Sends that had to wait for the bucket: the limit at work.
    private(set) var deferred = 0

    init(bytesPerSecond: Double, loop: EventLoop) {
        bucket = TokenBucket(rate: bytesPerSecond, now: .now())
        self.loop = loop
    }

    func submit(_ bytes: Int, _ send: @escaping () -> Void) {
        waiting.append((bytes, send))
        drain()
    }

    private func drain() {
        guard scheduled == nil else { return }
        while let first = waiting.first {
            let wait = bucket.delay(for: first.bytes, now: .now())
            guard wait == .zero else {
                deferred += 1
                let bound = NIOLoopBound(self, eventLoop: loop)
                scheduled = loop.scheduleTask(in: wait) {
                    bound.value.scheduled = nil
                    bound.value.drain()
                }
                return
            }
            _ = bucket.spend(first.bytes, now: .now())
            waiting.removeFirst()
            first.send()
        }
    }

    func stop() {
        scheduled?.cancel()
        waiting.removeAll()
    }
}

/// `--max-download-rate`: every byte read is spent from the bucket; when it is in debt
/// the connection stops reading (TCP then holds the sender back) until the debt is paid.
final class DownloadLimiter {
    private var bucket: TokenBucket
    private let loop: EventLoop
    private var paused: Set<ObjectIdentifier> = []
    /// Pauses so far: the limit at work.
    private(set) var pauses = 0

    init(bytesPerSecond: Double, loop: EventLoop) {
        bucket = TokenBucket(rate: bytesPerSecond, now: .now())
        self.loop = loop
    }

    func received(_ bytes: Int, on channel: Channel) {
        let wait = bucket.spend(bytes, now: .now())
        let key = ObjectIdentifier(channel)
        guard wait > .zero, !paused.contains(key) else { return }
        paused.insert(key)
        pauses += 1
        channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        let bound = NIOLoopBound(self, eventLoop: loop)
        loop.scheduleTask(in: wait) {
            bound.value.paused.remove(key)
            channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
    }
}
