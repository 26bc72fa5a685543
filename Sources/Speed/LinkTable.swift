import BitTorrent

/// Speed state per connection, indexed by slot like the client's sessions. Read on every
/// block, so an array (no hashing); iterated in slot order, so runs stay reproducible (a
/// dictionary's order changes from process to process).
struct LinkTable {
    private var entries: [SpeedLink?] = []

    subscript(id: ConnectionID) -> SpeedLink? {
        _read {
            let i = Int(id.slot)
            if i < entries.count, entries[i]?.id == id { yield entries[i] } else { yield nil }
        }
        _modify {
            let i = Int(id.slot)
            if i < entries.count, entries[i]?.id == id {
                yield &entries[i]
            } else {
                var added: SpeedLink? = nil
                yield &added
                if let added {
                    if i >= entries.count {
                        entries.append(contentsOf: repeatElement(nil, count: i + 1 - entries.count))
                    }
                    entries[i] = added
                }
            }
        }
    }

    /// The open links' ids, in slot order (a copy: callers mutate while they go).
    var ids: [ConnectionID] { entries.compactMap { $0?.id } }

    /// The open links in slot order.
    var all: LazyMapSequence<LazyFilterSequence<LazyMapSequence<[SpeedLink?], SpeedLink?>>, SpeedLink> {
        entries.lazy.compactMap { $0 }
    }

    mutating func remove(_ id: ConnectionID) -> SpeedLink? {
        guard let link = self[id] else { return nil }
        entries[Int(id.slot)] = nil
        return link
    }
}
