import CStreamedProducts

extension AttentionGeometry {
    /// `forward` with keys and values read from a KV cache's rows (F32, BF16 or F16), laid out
    /// as [batch, keyBatchStride / kvWidth positions, kvHeads·headDim] of which the first `keys`
    /// positions are valid.
    ///
    /// Up to `Tensor.streamingRows` queries (decoding) stream the cached rows once: the scores
    /// q·kⱼ and the sum Σⱼ pⱼ·vⱼ are taken in registers as the 16-bit rows are widened, so the
    /// step reads the cache in its own format. More queries (prefill) widen the valid rows into
    /// buffers and run `forward`'s GEMMs.
    public func forward(query q: UnsafePointer<Float>, keys: CachedRows, values: CachedRows, mask: AttentionMask,
                        scale: Float, probabilities p: UnsafeMutablePointer<Float>, output o: UnsafeMutablePointer<Float>) {
        precondition(keys.element == values.element && keys.count == values.count, "keys and values stored alike")
        if queries <= Tensor.streamingRows {
            streamingForward(query: q, keys: keys, values: values, mask: mask, scale: scale, probabilities: p, output: o)
        } else {
            let contiguous = AttentionGeometry(batch: batch, queries: queries, keys: self.keys, heads: heads,
                                               kvHeads: kvHeads, headDim: headDim, keyBatchStride: self.keys * kvHeads * headDim)
            let k = widenedRows(keys), v = widenedRows(values)
            contiguous.forward(query: q, key: k.base, value: v.base, mask: mask, scale: scale, probabilities: p, output: o)
        }
    }

    /// The valid positions of every batch row of `rows`, as floats [batch, keys, kvHeads·headDim].
    private func widenedRows(_ rows: CachedRows) -> TensorStorage {
        let rowCount = keys * kvHeads * headDim, stride = keyBatchStride
        let widened = TensorStorage(count: batch * rowCount, zeroed: false)
        let destination = widened.base
        Parallel.forEachChunk(batch) { part in
            for b in part { rows.widen(from: b * stride, count: rowCount, into: destination + b * rowCount) }
        }
        return widened
    }

    private func streamingForward(query q: UnsafePointer<Float>, keys: CachedRows, values: CachedRows, mask: AttentionMask,
                                  scale: Float, probabilities p: UnsafeMutablePointer<Float>,
                                  output o: UnsafeMutablePointer<Float>) {
        let (t, s, d) = (queries, self.keys, headDim)
        let qWidth = heads * d, kvWidth = kvHeads * d, group = heads / kvHeads, format = keys.element.kernelFormat
        let stride = keyBatchStride, headCount = heads
        Parallel.forEachChunk(batch * heads, minChunk: itemsPerThread) { items in
            for item in items {
                let b = item / headCount, h = item % headCount
                let kvOffset = b * stride + (h / group) * d
                let pbh = p + item * t * s
                pbh.update(repeating: 0, count: t * s)
                viral_rows_dot(format, q + b * t * qWidth + h * d, qWidth, t, keys.address(of: kvOffset), kvWidth, d,
                               0, s, pbh, s)
                for i in 0..<(t * s) { pbh[i] *= scale }
                self.normalise(scores: pbh, batchRow: b, mask: mask)
                viral_rows_combine(format, pbh, s, t, values.address(of: kvOffset), kvWidth, s, d,
                                   o + b * t * qWidth + h * d, qWidth)
            }
        }
    }
}
