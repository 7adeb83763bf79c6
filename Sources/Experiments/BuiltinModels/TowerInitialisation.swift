import Foundation
import Models
import Tensor

/// How the built-in towers are initialised before pretraining. A ViT initialised as the
/// transformers checkpoints' `_init_weights` do (every weight from N(0, 0.02)) and trained on a
/// few thousand 64-pixel scenes learns colours at once but stays at chance on shapes for
/// hundreds of steps; three choices from the small-data ViT literature remove that plateau:
///
/// - weights scaled to their fan-in, N(0, 1/(3·fan_in)) — the variance of PyTorch's default
///   `nn.Linear` initialisation — instead of the much smaller 0.02 for the patch embedding and
///   the blocks;
/// - two-dimensional sine–cosine position embeddings (as MAE initialises its ViTs): the first
///   half of the channels encodes the column, the second half the row, as sines then cosines of
///   the position times frequencies 1/10000^(i/(width/4));
/// - mimetic attention (Trockman & Kolter 2023): each block's query and key projections start
///   as one random orthogonal matrix, so that Wq·Wkᵀ = I and a patch first attends to patches
///   that look alike and to its neighbours.
///
/// Biases, norms, the class token and DINOv2's layer scales keep the values the model was
/// built with.
enum TowerInitialisation {
    static func apply(to tower: VisionTransformer, generator: inout RandomGenerator) {
        let config = tower.config
        fill(tower.patchWeight, fanIn: config.channels * config.patchSize * config.patchSize, generator: &generator)
        let width = config.hiddenSize
        for layer in tower.layers {
            for linear in [layer.fc1, layer.fc2] {
                fill(linear.weight, fanIn: linear.inFeatures, generator: &generator)
            }
            // With y = x·Wᵀ: Wq = R and Wk = R·M1 give Wqᵀ·Wk = M1 = 0.7·Z + 0.7·I; Wv = R' and
            // Wo = M2ᵀ·R'ᵀ give Wvᵀ·Woᵀ = M2 = 0.4·Z' − 0.4·I (Z, Z' with N(0, 1/width) entries).
            let r = orthogonalMatrix(width, generator: &generator)
            let m1 = mimeticProduct(width, noise: 0.7, identity: 0.7, generator: &generator)
            layer.query.weight.data.update(from: r, count: r.count)
            layer.key.weight.data.update(from: multiply(r, m1, width), count: r.count)
            let rv = orthogonalMatrix(width, generator: &generator)
            let m2 = mimeticProduct(width, noise: 0.4, identity: -0.4, generator: &generator)
            layer.value.weight.data.update(from: rv, count: rv.count)
            layer.output.weight.data.update(from: multiply(transposed(m2, width), transposed(rv, width), width), count: rv.count)
        }
        writeSineCosinePositions(into: tower)
    }

    /// noise·Z + identity·I with Z drawn from N(0, 1/n), row-major n × n.
    private static func mimeticProduct(_ n: Int, noise: Float, identity: Float, generator: inout RandomGenerator) -> [Float] {
        let scale = noise / Float(n).squareRoot()
        var matrix = (0..<(n * n)).map { _ in scale * generator.nextNormal() }
        for i in 0..<n { matrix[i * n + i] += identity }
        return matrix
    }

    /// a·b for row-major n × n matrices.
    private static func multiply(_ a: [Float], _ b: [Float], _ n: Int) -> [Float] {
        var product = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let aik = a[i * n + k]
                for j in 0..<n { product[i * n + j] += aik * b[k * n + j] }
            }
        }
        return product
    }

    private static func transposed(_ a: [Float], _ n: Int) -> [Float] {
        (0..<(n * n)).map { a[($0 % n) * n + $0 / n] }
    }

    /// Overwrites `weight` with draws from N(0, 1/(3·fanIn)).
    private static func fill(_ weight: Tensor, fanIn: Int, generator: inout RandomGenerator) {
        let std = Float(1 / (3 * Double(fanIn)).squareRoot())
        for index in 0..<weight.count { weight.data[index] = std * generator.nextNormal() }
    }

    /// A random n × n orthogonal matrix, row-major: Gram–Schmidt on Gaussian rows (in Double).
    static func orthogonalMatrix(_ n: Int, generator: inout RandomGenerator) -> [Float] {
        var rows: [[Double]] = []
        while rows.count < n {
            var row = (0..<n).map { _ in Double(generator.nextNormal()) }
            for previous in rows {
                let projection = zip(row, previous).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<n { row[i] -= projection * previous[i] }
            }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 1e-6 { rows.append(row.map { $0 / norm }) }
        }
        return rows.flatMap { $0.map(Float.init) }
    }

    /// Writes the patch rows of the position table (the class token's row stays).
    private static func writeSineCosinePositions(into tower: VisionTransformer) {
        let config = tower.config
        let (width, grid) = (config.hiddenSize, config.gridSize)
        let quarter = width / 4
        let table = tower.positionEmbedding.data
        for row in 0..<grid {
            for column in 0..<grid {
                let base = (config.prefixTokenCount + row * grid + column) * width
                for (half, position) in [Double(column), Double(row)].enumerated() {
                    for i in 0..<quarter {
                        let angle = position / Foundation.pow(10000, Double(i) / Double(quarter))
                        table[base + half * 2 * quarter + i] = Float(Foundation.sin(angle))
                        table[base + half * 2 * quarter + quarter + i] = Float(Foundation.cos(angle))
                    }
                }
            }
        }
    }
}
