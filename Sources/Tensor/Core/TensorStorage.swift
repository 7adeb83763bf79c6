import Foundation

/// A contiguous buffer of tensor elements: owned `Float`s (64-byte aligned), or a borrowed view
/// of memory someone else owns (a memory-mapped checkpoint), holding `Float`s or 16-bit floats.
///
/// Reshapes share a storage; every other op writes a new one. When the last tensor that uses an
/// owned buffer goes away, a large buffer goes back to `BufferPool` for the next storage of its
/// size, a small one to the system.
public final class TensorStorage: @unchecked Sendable {
    /// How the elements are encoded.
    public enum Element: Sendable {
        case float32
        /// The upper 16 bits of a `Float` (bfloat16).
        case bfloat16
        /// IEEE half precision.
        case float16

        /// bfloat16 or float16: only `linear` and `embedding` read these (see
        /// `StreamedProducts.swift`); every other op needs `Float`s.
        public var isHalfPrecision: Bool { self != .float32 }
    }

    /// The first element, when `element` is `.float32`. For 16-bit storage the same address,
    /// which must be read through `halfPrecisionBase`.
    public let base: UnsafeMutablePointer<Float>
    /// How many elements the buffer holds.
    public let count: Int
    public let element: Element
    /// What keeps borrowed memory alive (nil for buffers this storage owns).
    private let owner: AnyObject?

    /// A buffer of `count` floats; zero-filled when `zeroed` is true, otherwise uninitialised.
    public init(count: Int, zeroed: Bool = true) {
        self.count = count
        element = .float32
        owner = nil
        base = BufferPool.shared.take(count: count) ?? TensorStorage.allocate(count: count)
        if zeroed { base.initialize(repeating: 0, count: count) }
    }

    /// A view of `count` elements at `address`, kept valid by `owner` (e.g. a memory-mapped
    /// file). The memory may be read-only: tensors over it must not be written.
    public init(borrowing address: UnsafeRawPointer, count: Int, element: Element, owner: AnyObject) {
        self.count = count
        self.element = element
        self.owner = owner
        base = UnsafeMutableRawPointer(mutating: address).assumingMemoryBound(to: Float.self)
    }

    /// Reserved zero pages for `count` floats that take no memory until written: the weights of a
    /// model built only to have checkpoint views put in their place (`RandomGenerator.placeholder`).
    public convenience init(placeholderCount count: Int) {
        let reservation = PageReservation(bytes: max(count, 1) * MemoryLayout<Float>.stride)
        self.init(borrowing: reservation.address, count: count, element: .float32, owner: reservation)
    }

    /// The elements of BF16 or F16 storage.
    public var halfPrecisionBase: UnsafePointer<UInt16> {
        precondition(element.isHalfPrecision, "halfPrecisionBase of F32 storage")
        return UnsafeRawPointer(base).assumingMemoryBound(to: UInt16.self)
    }

    deinit {
        guard owner == nil else { return }
        if !BufferPool.shared.recycle(base, count: count) { free(base) }
    }

    private static func allocate(count: Int) -> UnsafeMutablePointer<Float> {
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        if posix_memalign(&raw, 64, bytes) != 0 || raw == nil {
            fatalError("TensorStorage: out of memory allocating \(bytes) bytes")
        }
        return raw!.bindMemory(to: Float.self, capacity: max(count, 1))
    }
}

/// Anonymous zero pages reserved without committing memory (`MAP_NORESERVE`); unmapped on deinit.
final class PageReservation {
    let address: UnsafeMutableRawPointer
    let bytes: Int

    init(bytes: Int) {
        self.bytes = bytes
        let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let mapped, mapped != MAP_FAILED else {
            fatalError("TensorStorage: cannot reserve \(bytes) bytes of address space")
        }
        address = mapped
    }

    deinit { munmap(address, bytes) }
}

/// Freed large buffers kept for reuse, by exact element count.
///
/// A training step allocates the same shapes every time. A fresh large allocation is mapped
/// from the system and page-faults on first touch (the kernel zeroing every page): before this
/// pool that was ≈ 4 % of a train-small step (perf: `exc_page_fault`, `clear_page_erms`, …).
/// Handing a freed buffer to the next request of its size avoids that.
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()
    /// Smaller buffers come from malloc, which recycles them cheaply.
    static let minimumCount = 1 << 14
    /// At most this many bytes are kept idle; beyond that, freed buffers go back to the system.
    static let capacityBytes = 1 << 30

    private var idle: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var idleBytes = 0
    private let lock = NSLock()

    /// An idle buffer of exactly `count` floats, if one is kept.
    func take(count: Int) -> UnsafeMutablePointer<Float>? {
        guard count >= Self.minimumCount else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard let buffer = idle[count]?.popLast() else { return nil }
        idleBytes -= count * MemoryLayout<Float>.stride
        return buffer
    }

    /// Keeps `buffer` for reuse; false when it is too small or the pool is full (the caller
    /// then frees it).
    func recycle(_ buffer: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        guard count >= Self.minimumCount else { return false }
        let bytes = count * MemoryLayout<Float>.stride
        lock.lock()
        defer { lock.unlock() }
        guard idleBytes + bytes <= Self.capacityBytes else { return false }
        idle[count, default: []].append(buffer)
        idleBytes += bytes
        return true
    }
}
