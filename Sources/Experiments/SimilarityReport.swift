import Analysis
import Foundation
import SafeTensors

/// CKNNA, mutual k-NN and unbiased CKA between two feature matrices a user brings in a
/// safetensors file (`viral analyze similarity`).
public struct SimilarityReport: Equatable, Sendable {
    public var cknna: Double
    public var mutualKNN: Double
    public var unbiasedCKA: Double
    public var rows: Int
    public var topK: Int

    /// Reads tensors `a` and `b` ([n, d] each, or [..., d] flattened to rows) from `file` and
    /// compares them; with `prepare`, both are first clamped at the 0.95 quantile and L2-normalised.
    public init(file: URL, a: String, b: String, topK: Int = 10, prepare: Bool) throws {
        let source = try SafeTensorsFile(url: file)
        func matrix(_ name: String) throws -> Matrix {
            guard source.contains(name) else {
                throw SimilarityError("\(file.path) has no tensor \"\(name)\"; it holds: \(source.names.joined(separator: ", "))")
            }
            let shape = try source.info(name).shape
            guard shape.count >= 2 else { throw SimilarityError("tensor \"\(name)\" has shape \(shape); it needs [rows, features]") }
            let columns = shape.last!, rows = shape.dropLast().reduce(1, *)
            let matrix = try Matrix(rows: rows, columns: columns, values: try source.doubles(name))
            return prepare ? try FeaturePreparation.prepare(matrix) : matrix
        }
        let (x, y) = (try matrix(a), try matrix(b))
        guard x.rows == y.rows else {
            throw SimilarityError("\"\(a)\" has \(x.rows) rows but \"\(b)\" has \(y.rows); the rows must be the same samples")
        }
        let k = try RepresentationKernel(features: x), l = try RepresentationKernel(features: y)
        cknna = try RepresentationSimilarity.cknna(k, l, topK: topK)
        mutualKNN = try RepresentationSimilarity.mutualKNN(k, l, topK: topK)
        unbiasedCKA = try RepresentationSimilarity.unbiasedCKA(k, l)
        rows = x.rows
        self.topK = topK
    }

    public var text: String {
        String(format: "rows %d  k %d\ncknna        %.6f\nmutual_knn   %.6f\nunbiased_cka %.6f", rows, topK, cknna, mutualKNN, unbiasedCKA)
    }
}

/// A problem with the inputs of a similarity analysis.
public struct SimilarityError: Error, CustomStringConvertible, LocalizedError {
    public let description: String
    init(_ description: String) { self.description = description }
    public var errorDescription: String? { description }
}
