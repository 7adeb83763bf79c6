import Tensor

/// A parameter with its checkpoint key (Hugging Face naming, relative to the module that lists it).
public typealias NamedParameter = (key: String, tensor: Tensor)

/// A building block with parameters. Keys follow the Hugging Face checkpoint names, so loading
/// is "flatten names, match, verify" (see `ParameterLoading.swift`).
public protocol Module: AnyObject {
    /// Every parameter under this module, keyed relative to it ("weight", "layers.0.mlp.up_proj.weight").
    var namedParameters: [NamedParameter] { get }
}

extension Module {
    /// Every parameter tensor.
    public var parameters: [Tensor] { namedParameters.map(\.tensor) }

    /// The parameters that currently receive gradients.
    public var trainableParameters: [Tensor] { parameters.filter(\.requiresGrad) }

    /// Turns gradients on or off for every parameter (freezing a tower, say).
    public func setTrainable(_ trainable: Bool) {
        for p in parameters {
            p.requiresGrad = trainable
            if !trainable { p.grad = nil }
        }
    }

    /// The number of scalars in all parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Drops every accumulated gradient.
    public func zeroGradients() { for p in parameters { p.grad = nil } }
}

/// Prefixes the keys of `child`'s parameters: `prefix` + "." + key.
public func prefixed(_ prefix: String, _ child: Module?) -> [NamedParameter] {
    guard let child else { return [] }
    return child.namedParameters.map { (prefix + "." + $0.key, $0.tensor) }
}

/// Prefixes the keys of each module in a list with `prefix.i`.
public func prefixed(_ prefix: String, _ children: [Module]) -> [NamedParameter] {
    children.enumerated().flatMap { prefixed("\(prefix).\($0.offset)", $0.element) }
}
