import DequeModule

/// A first-in first-out queue whose front element is stored inline.
///
/// A link's control and data payloads in transit: nearly always none or one (a large
/// swarm averages well under one control message in flight per link), so keeping the
/// front in the link record means delivering or sending one touches no memory beyond
/// the record, where a `Deque` costs a miss to its separate buffer and a uniqueness check
/// on every append and pop (docs/performance.md). Elements behind the front go to a
/// `Deque` that, once made, is kept for reuse, so a link whose queue swings between one
/// and two elements allocates nothing; `laterCount` lets the empty case skip it.
struct InlineFIFO<Element> {
    private var front: Element?
    private var later: Deque<Element>?
    private var laterCount: Int32 = 0

    init() {}

    var isEmpty: Bool { front == nil }

    mutating func append(_ element: Element) {
        guard front != nil else {
            front = element
            return
        }
        if later == nil { later = [] }
        later!.append(element)
        laterCount += 1
    }

    mutating func popFirst() -> Element? {
        guard let first = front else { return nil }
        if laterCount > 0 {
            front = later!.removeFirst()
            laterCount -= 1
        } else {
            front = nil
        }
        return first
    }

    mutating func removeAll() {
        front = nil
        later?.removeAll(keepingCapacity: true)
        laterCount = 0
    }
}
