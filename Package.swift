// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Hot loops are plain scalar loops that LLVM vectorises, so the target CPU decides their speed
/// (DESIGN.md §5: 46 ms generic, 13 ms AVX2, 6 ms AVX-512 for the same kernel). We build for the
/// best instruction set this machine has; `VIRAL_TARGET_CPU` overrides (e.g. `haswell`, `generic`).
func targetCPU() -> String? {
    if let chosen = ProcessInfo.processInfo.environment["VIRAL_TARGET_CPU"] {
        return chosen == "generic" ? nil : chosen
    }
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return nil }
    let flags = Set(flagsLine.split(separator: " ").map(String.init))
    if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) {
        return cpuinfo.contains("AuthenticAMD") ? "znver4" : "skylake-avx512"
    }
    if flags.isSuperset(of: ["avx2", "fma"]) { return "haswell" }
    return nil
}

/// `-fno-math-errno` lets `squareRoot()` become one vector instruction: with errno semantics a
/// negative input calls libm, and that branch stops loops with a square root from vectorising.
let numericFlags: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-wmo", "-Xcc", "-fno-math-errno"] + (targetCPU().map { ["-target-cpu", $0] } ?? []))
]

let package = Package(
    name: "viral",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "viral", targets: ["viral"]),
        .library(name: "Tensor", targets: ["Tensor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        // The kernels' thread pool (C11 atomics and pthreads).
        .target(name: "CThreadPool", cSettings: [.unsafeFlags(["-O2"])]),
        // Decoding products streaming F32 / BF16 / F16 weights: AVX-512 / AVX2 chosen at run time.
        .target(name: "CStreamedProducts", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Tensor", dependencies: ["CBLAS", "CThreadPool", "CStreamedProducts"], swiftSettings: numericFlags),
        // Parse untrusted files: built with overflow checks on (plain -O).
        .target(name: "JSON"),
        .target(name: "SafeTensors", dependencies: ["JSON"]),
        .target(name: "NN", dependencies: ["Tensor"], swiftSettings: numericFlags),
        .target(name: "Models", dependencies: ["NN", "Tensor", "Vision", "SafeTensors"], swiftSettings: numericFlags),
        // libpng / libjpeg-turbo behind a C shim that keeps every setjmp/longjmp in C.
        .target(name: "CVisionCodecs", linkerSettings: [.linkedLibrary("png"), .linkedLibrary("jpeg")]),
        .target(name: "Vision", dependencies: ["CVisionCodecs"], swiftSettings: numericFlags),
        .target(name: "VIRAL", dependencies: ["Models", "NN", "Tensor", "Vision", "SafeTensors"], swiftSettings: numericFlags),
        .target(name: "Text", dependencies: ["JSON"]),
        .target(name: "Training", dependencies: ["VIRAL", "Models", "NN", "Tensor", "Text", "Vision", "SafeTensors",
                                                 .product(name: "Yams", package: "Yams")],
                swiftSettings: numericFlags),
        .target(name: "Evaluation"),
        .target(name: "Analysis", swiftSettings: numericFlags),
        .target(name: "Plot", dependencies: ["Vision"]),
        .target(name: "Experiments", dependencies: ["Analysis", "Plot", "Vision", "SafeTensors", "Training", "Evaluation",
                                                   "Models", "VIRAL", "Text", "NN", "Tensor", "Inspection", "SyntheticData"],
                swiftSettings: numericFlags),
        .target(name: "Inspection", dependencies: ["Models", "SafeTensors", "Text", "Vision", "Tensor", "NN"]),
        .target(name: "SyntheticData", dependencies: ["Vision", "Evaluation"]),
        .target(name: "CGEMMReference", cSettings: [.unsafeFlags(["-O2"])],
                linkerSettings: [.linkedLibrary("openblas")]),
        .executableTarget(
            name: "viral",
            dependencies: [
                "Tensor",
                "NN",
                "Experiments",
                "Training",
                "CGEMMReference",
                "Inspection",
                "SyntheticData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: numericFlags
        ),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "CStreamedProducts"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "NNTests", dependencies: ["NN"]),
        .testTarget(name: "VisionTests", dependencies: ["Vision", "SafeTensors"], exclude: ["Fixtures"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors"], exclude: ["Fixtures"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "SafeTensors"], exclude: ["Fixtures"]),
        .testTarget(name: "VIRALTests", dependencies: ["VIRAL", "SafeTensors"], exclude: ["Fixtures"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Models", "NN", "Tensor", "VIRAL", "Vision", "Text", "SafeTensors"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Training", "Vision", "Models", "Evaluation",
                                                        "Analysis", "SafeTensors", "Tensor", "Text", "SyntheticData", "NN"]),
        .testTarget(name: "TextTests", dependencies: ["Text"], exclude: ["Fixtures"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "SafeTensors"], exclude: ["Fixtures"]),
        .testTarget(name: "PlotTests", dependencies: ["Plot", "Vision", "Analysis"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation"], exclude: ["Fixtures"]),
        .testTarget(name: "InspectionTests", dependencies: ["Inspection", "Models", "SafeTensors", "Text", "Tensor"]),
        .testTarget(name: "SyntheticDataTests", dependencies: ["SyntheticData", "Evaluation", "Vision"]),
    ],
    swiftLanguageModes: [.v5]
)
