import AsyncHTTPClient
import BitTorrent
import NIOCore

/// Announces to an HTTP or HTTPS tracker over SwiftNIO (async-http-client), so a Live
/// peer has one network stack, not a second one on URLSession's own threads.
///
/// The answer is input like any other: a body above `maxBody` or an answer slower than
/// `timeout` is an error, and the body is decoded by the same `HTTPAnnounce` the tests
/// fuzz. Requests go through the process-wide client, which needs no shutdown.
enum TrackerClient {
    /// A compact answer for 200 peers is about 1.2 kB; a tracker's message is not 1 MiB.
    static let maxBody = 1 << 20
    static let timeout = TimeAmount.seconds(15)

    /// Calls `answer` on `loop` with the decoded response or the reason there is none.
    /// `loop` nil: fire and forget (a `stopped` announce, whose answer may come after
    /// the peer's event loop has shut down, where nothing may be scheduled).
    static func announce(
        _ url: String, on loop: EventLoop?, answer: @escaping @Sendable (Result<AnnounceResponse, Error>) -> Void
    ) {
        let request: HTTPClient.Request
        do { request = try HTTPClient.Request(url: url) } catch {
            loop?.execute { answer(.failure(error)) }
            return
        }
        let task = HTTPClient.shared.execute(
            request: request, delegate: ResponseAccumulator(request: request, maxBodySize: maxBody),
            eventLoop: .indifferent, deadline: .now() + timeout)
        guard let loop else { return }
        // The client's own loops run the request; the answer hops to the peer's.
        task.futureResult.hop(to: loop).whenComplete { result in
            answer(
                result.flatMap { response in
                    guard response.status == .ok else {
                        return .failure(LiveError(description: "HTTP \(response.status.code)"))
                    }
                    let body = response.body.map { Array($0.readableBytesView) } ?? []
                    return Result { try HTTPAnnounce.decode(body) }
                })
        }
    }
}
