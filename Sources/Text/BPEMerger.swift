/// The merge loop of BPE for one word, a transcription of `Word::merge_all` of the `tokenizers`
/// library: the applicable pair with the lowest rank (leftmost on ties) is merged first, and
/// queue entries made stale by earlier merges are skipped by checking the pair still yields the
/// same token.
struct BPEMerger {
    /// A symbol of the word; symbols form a doubly linked list so merges never move memory.
    private struct Symbol {
        var id: Int
        var previous: Int
        var next: Int
        var isRemoved = false
    }

    /// A candidate merge of the symbol at `position` with its successor.
    private struct Candidate {
        let rank: Int
        let position: Int
        let newID: Int

        func precedes(_ other: Candidate) -> Bool {
            rank != other.rank ? rank < other.rank : position < other.position
        }
    }

    /// The merges: for a pair of token ids (`pairKey`), its rank and the merged token id
    /// (`mergeValue`), packed in 64 bits each to keep a 150k-entry table compact and fast.
    let merges: [UInt64: UInt64]

    static func pairKey(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: left)) << 32 | UInt64(UInt32(truncatingIfNeeded: right))
    }

    static func mergeValue(rank: Int, newID: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: rank)) << 32 | UInt64(UInt32(truncatingIfNeeded: newID))
    }

    private func mergeOf(_ left: Int, _ right: Int) -> (rank: Int, newID: Int)? {
        guard let value = merges[Self.pairKey(left, right)] else { return nil }
        return (Int(value >> 32), Int(value & 0xFFFF_FFFF))
    }

    /// Merges the initial symbol `ids` of a word and returns the final token ids.
    func merge(_ ids: [Int]) -> [Int] {
        guard ids.count > 1 else { return ids }
        var symbols = ids.enumerated().map { index, id in
            Symbol(id: id, previous: index - 1, next: index + 1 < ids.count ? index + 1 : -1)
        }
        var queue = CandidateQueue()
        for index in 0..<(ids.count - 1) {
            if let merge = mergeOf(ids[index], ids[index + 1]) {
                queue.push(Candidate(rank: merge.rank, position: index, newID: merge.newID))
            }
        }
        while let top = queue.pop() {
            let symbol = symbols[top.position]
            guard !symbol.isRemoved, symbol.next >= 0 else { continue }
            let right = symbols[symbol.next]
            guard let current = mergeOf(symbol.id, right.id), current.newID == top.newID else { continue }

            symbols[symbol.next].isRemoved = true
            symbols[top.position].id = top.newID
            symbols[top.position].next = right.next
            if right.next >= 0 { symbols[right.next].previous = top.position }

            let merged = symbols[top.position]
            if merged.previous >= 0, let merge = mergeOf(symbols[merged.previous].id, merged.id) {
                queue.push(Candidate(rank: merge.rank, position: merged.previous, newID: merge.newID))
            }
            if merged.next >= 0, let merge = mergeOf(merged.id, symbols[merged.next].id) {
                queue.push(Candidate(rank: merge.rank, position: top.position, newID: merge.newID))
            }
        }
        return symbols.filter { !$0.isRemoved }.map(\.id)
    }

    /// A binary min-heap of candidates.
    private struct CandidateQueue {
        private var heap: [Candidate] = []

        mutating func push(_ candidate: Candidate) {
            heap.append(candidate)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard heap[child].precedes(heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        }

        mutating func pop() -> Candidate? {
            guard !heap.isEmpty else { return nil }
            heap.swapAt(0, heap.count - 1)
            let top = heap.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var first = parent
                if left < heap.count, heap[left].precedes(heap[first]) { first = left }
                if right < heap.count, heap[right].precedes(heap[first]) { first = right }
                if first == parent { break }
                heap.swapAt(parent, first)
                parent = first
            }
            return top
        }
    }
}
