import ArgumentParser
import Tensor

/// `--matmul-precision`, for the commands that run memory-mapped checkpoints.
struct PrecisionOptions: ParsableArguments {
    @Option(help: """
        Products with BF16 weights: highest (inputs stay F32, weights widened exactly) or medium (prompt-length \
        inputs rounded to BF16 and multiplied with AVX512-BF16, as PyTorch runs a BF16 model; faster prefill).
        """)
    var matmulPrecision: MatmulPrecision = .highest

    func apply() { MatmulPrecision.current = matmulPrecision }
}

extension MatmulPrecision: ExpressibleByArgument {}
