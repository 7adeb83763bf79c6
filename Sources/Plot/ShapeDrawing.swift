import Vision

/// A point in image pixel coordinates (x right, y down; pixel (i, j) covers [i, i+1) × [j, j+1)).
struct PixelPoint: Equatable {
    var x: Double
    var y: Double
}

extension RGBImage {
    /// Draws an antialiased polyline `width` pixels wide, clipped to `clip`. Coverage is the
    /// maximum over segments, so joints are not painted twice.
    mutating func drawPolyline(_ points: [PixelPoint], color: RGBColor, width: Double, clip: PixelRect) {
        guard !points.isEmpty else { return }
        let half = width / 2
        var coverage: [Int: Double] = [:]
        let segments = points.count == 1 ? [(points[0], points[0])] : zip(points, points.dropFirst()).map { ($0, $1) }
        for (start, end) in segments {
            let left = max(clip.x, Int((min(start.x, end.x) - half - 1).rounded(.down)))
            let right = min(clip.right - 1, Int((max(start.x, end.x) + half + 1).rounded(.up)))
            let top = max(clip.y, Int((min(start.y, end.y) - half - 1).rounded(.down)))
            let bottom = min(clip.bottom - 1, Int((max(start.y, end.y) + half + 1).rounded(.up)))
            guard left <= right, top <= bottom else { continue }
            for y in top...bottom {
                for x in left...right {
                    let distance = Self.distance(PixelPoint(x: Double(x) + 0.5, y: Double(y) + 0.5), start, end)
                    let value = min(max(half + 0.5 - distance, 0), 1)
                    if value > 0 {
                        let key = y * self.width + x
                        coverage[key] = max(coverage[key] ?? 0, value)
                    }
                }
            }
        }
        for (key, value) in coverage {
            blend(x: key % self.width, y: key / self.width, color, coverage: value)
        }
    }

    /// Draws an antialiased filled disc, clipped to `clip`.
    mutating func fillCircle(center: PixelPoint, radius: Double, color: RGBColor, clip: PixelRect) {
        let left = max(clip.x, Int((center.x - radius - 1).rounded(.down)))
        let right = min(clip.right - 1, Int((center.x + radius + 1).rounded(.up)))
        let top = max(clip.y, Int((center.y - radius - 1).rounded(.down)))
        let bottom = min(clip.bottom - 1, Int((center.y + radius + 1).rounded(.up)))
        guard left <= right, top <= bottom else { return }
        for y in top...bottom {
            for x in left...right {
                let dx = Double(x) + 0.5 - center.x
                let dy = Double(y) + 0.5 - center.y
                let value = min(max(radius + 0.5 - (dx * dx + dy * dy).squareRoot(), 0), 1)
                blend(x: x, y: y, color, coverage: value)
            }
        }
    }

    /// Distance from `point` to the segment `start`–`end`.
    private static func distance(_ point: PixelPoint, _ start: PixelPoint, _ end: PixelPoint) -> Double {
        let dx = end.x - start.x
        let dy = end.y - start.y
        let lengthSquared = dx * dx + dy * dy
        var t = 0.0
        if lengthSquared > 0 {
            t = min(max(((point.x - start.x) * dx + (point.y - start.y) * dy) / lengthSquared, 0), 1)
        }
        let nearestX = start.x + t * dx - point.x
        let nearestY = start.y + t * dy - point.y
        return (nearestX * nearestX + nearestY * nearestY).squareRoot()
    }
}
