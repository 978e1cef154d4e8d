#!/usr/bin/env python3
"""Load a model exported by `hopper export-model` without Hopper.

The directory holds model_arch.json (Keras model.to_json()), manifest.json and one float32 .npy file per weight in
Keras get_weights() order and layout (docs/export-format.md).

    import load_model
    weights, manifest = load_model.load_weights("export_dir")       # list of numpy arrays, the manifest dict
    model = load_model.keras_model("export_dir")                     # needs Keras: model_from_json + set_weights
    probs = load_model.predict("export_dir", x)                      # NumPy forward pass, x raw (not normalized)
    probs = load_model.predict("export_dir", x, engine="torch")      # the same pass in plain PyTorch

Command line: python3 load_model.py EXPORT_DIR ROWS.csv [numpy|torch] prints one line of class probabilities per row
of the CSV. With a header line, X is read from the columns the manifest's independent_varname names, in that order
(other columns, such as the label or an id, are left out; a column may hold arrays such as "{1,2}"); without one,
every column is X.
"""
import csv
import json
import os
import sys

import numpy as np


def load_weights(export_dir):
    with open(os.path.join(export_dir, "manifest.json")) as f:
        manifest = json.load(f)
    if manifest.get("format") != "hopper-keras-weights" or manifest.get("format_version") != 1:
        raise ValueError("%s is not a hopper-keras-weights version 1 export" % export_dir)
    weights = [np.load(os.path.join(export_dir, w["file"])) for w in manifest["weights"]]
    for w, a in zip(manifest["weights"], weights):
        if list(a.shape) != w["shape"] or a.dtype != np.float32:
            raise ValueError("%s: shape %s dtype %s, manifest says %s float32" % (w["file"], a.shape, a.dtype, w["shape"]))
    return weights, manifest


def keras_model(export_dir):
    from keras.models import model_from_json  # only when Keras is installed
    weights, manifest = load_weights(export_dir)
    with open(os.path.join(export_dir, manifest["architecture"])) as f:
        model = model_from_json(f.read())
    model.set_weights(weights)
    return model


def _layers(arch):
    config = arch["config"]
    if arch["class_name"] != "Sequential":
        raise ValueError("the NumPy forward pass runs Sequential models; load %s models with keras_model()" % arch["class_name"])
    return config if isinstance(config, list) else config["layers"]


def _activation(name, x):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "softplus":
        return np.log1p(np.exp(x))
    if name == "elu":
        return np.where(x > 0, x, np.exp(x) - 1)
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ValueError("activation %r is not in the NumPy forward pass; use keras_model()" % name)


def _pad(x, kh, kw, sh, sw, padding, value=0.0):
    if padding != "same":
        return x
    h, w = x.shape[1], x.shape[2]
    ph = max((-(-h // sh) - 1) * sh + kh - h, 0)
    pw = max((-(-w // sw) - 1) * sw + kw - w, 0)
    return np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)), constant_values=value)


def _windows(x, kh, kw, sh, sw):
    n, h, w, c = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    out = np.empty((n, oh, ow, kh, kw, c), dtype=x.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, :, :, i, j, :] = x[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :]
    return out


def forward(arch, weights, x):
    """Keras inference (no dropout, moving statistics) of a Sequential model on normalized float32 rows x."""
    it = iter(weights)
    for layer in _layers(arch):
        kind, cfg = layer["class_name"], layer["config"]
        if kind in ("InputLayer", "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout"):
            continue
        if kind == "Dense":
            x = x @ next(it)
            if cfg.get("use_bias", True):
                x = x + next(it)
            x = _activation(cfg.get("activation"), x)
        elif kind == "Activation":
            x = _activation(cfg["activation"], x)
        elif kind == "Flatten":
            x = x.reshape(x.shape[0], -1)
        elif kind == "BatchNormalization":
            gamma = next(it) if cfg.get("scale", True) else 1.0
            beta = next(it) if cfg.get("center", True) else 0.0
            mean, var = next(it), next(it)
            x = (x - mean) / np.sqrt(var + cfg.get("epsilon", 1e-3)) * gamma + beta
        elif kind == "Conv2D":
            if cfg.get("data_format", "channels_last") != "channels_last" or tuple(cfg.get("dilation_rate", (1, 1))) != (1, 1):
                raise ValueError("Conv2D: the NumPy forward pass runs channels_last without dilation; use keras_model()")
            kernel = next(it)
            kh, kw = kernel.shape[0], kernel.shape[1]
            sh, sw = cfg.get("strides", (1, 1))
            patches = _windows(_pad(x, kh, kw, sh, sw, cfg.get("padding", "valid")), kh, kw, sh, sw)
            x = np.tensordot(patches, kernel, axes=([3, 4, 5], [0, 1, 2]))
            if cfg.get("use_bias", True):
                x = x + next(it)
            x = _activation(cfg.get("activation"), x)
        elif kind == "MaxPooling2D":
            kh, kw = cfg.get("pool_size", (2, 2))
            sh, sw = cfg.get("strides") or (kh, kw)
            padded = _pad(x, kh, kw, sh, sw, cfg.get("padding", "valid"), -np.inf)
            x = _windows(padded, kh, kw, sh, sw).max(axis=(3, 4))
        else:
            raise ValueError("layer %s is not in the NumPy forward pass; use keras_model()" % kind)
    return x


def torch_forward(arch, weights, x):
    """forward() in plain PyTorch: the same layers, Keras's channels_last layout kept between layers."""
    import torch
    import torch.nn.functional as F
    it = iter(torch.from_numpy(w) for w in weights)
    x = torch.from_numpy(x)
    acts = {None: lambda t: t, "linear": lambda t: t, "relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
            "softplus": F.softplus, "elu": F.elu, "softmax": lambda t: torch.softmax(t, dim=-1)}
    with torch.no_grad():
        for layer in _layers(arch):
            kind, cfg = layer["class_name"], layer["config"]
            if kind in ("InputLayer", "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout"):
                continue
            if kind == "Dense":
                x = x @ next(it)
                if cfg.get("use_bias", True):
                    x = x + next(it)
                x = acts[cfg.get("activation")](x)
            elif kind == "Activation":
                x = acts[cfg["activation"]](x)
            elif kind == "Flatten":
                x = x.reshape(x.shape[0], -1)
            elif kind == "BatchNormalization":
                gamma = next(it) if cfg.get("scale", True) else None
                beta = next(it) if cfg.get("center", True) else None
                mean, var = next(it), next(it)
                x = (x - mean) / torch.sqrt(var + cfg.get("epsilon", 1e-3))
                x = x * gamma if gamma is not None else x
                x = x + beta if beta is not None else x
            elif kind == "Conv2D":
                kernel = next(it).permute(3, 2, 0, 1)
                bias = next(it) if cfg.get("use_bias", True) else None
                sh, sw = cfg.get("strides", (1, 1))
                nchw = torch.from_numpy(_pad(x.numpy(), kernel.shape[2], kernel.shape[3], sh, sw, cfg.get("padding", "valid")))
                y = F.conv2d(nchw.permute(0, 3, 1, 2), kernel, bias, stride=(sh, sw))
                x = acts[cfg.get("activation")](y.permute(0, 2, 3, 1))
            elif kind == "MaxPooling2D":
                kh, kw = cfg.get("pool_size", (2, 2))
                sh, sw = cfg.get("strides") or (kh, kw)
                padded = torch.from_numpy(_pad(x.numpy(), kh, kw, sh, sw, cfg.get("padding", "valid"), -np.inf))
                x = F.max_pool2d(padded.permute(0, 3, 1, 2), (kh, kw), (sh, sw)).permute(0, 2, 3, 1)
            else:
                raise ValueError("layer %s is not in the PyTorch forward pass; use keras_model()" % kind)
    return x.numpy()


def predict(export_dir, x, engine="numpy"):
    """Class probabilities of raw rows x (divided here by the training's normalizing constant)."""
    weights, manifest = load_weights(export_dir)
    with open(os.path.join(export_dir, manifest["architecture"])) as f:
        arch = json.load(f)
    x = np.asarray(x, dtype=np.float64)
    if manifest["normalizing_const"] != 1:
        x = x / manifest["normalizing_const"]
    x = x.astype(np.float32).reshape([-1] + manifest["input_shape"])
    return (torch_forward if engine == "torch" else forward)(arch, weights, x)


def _is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def _values(fields, where):
    """The X values of one row: numbers, or arrays written as {1,2} or [1, 2] (nested ones flattened)."""
    out = []
    for s in fields:
        s = s.strip()
        parts = s.translate(str.maketrans("", "", "{}[]")).split(",") if s[:1] in "{[" else [s]
        for t in parts:
            try:
                out.append(float(t))
            except ValueError:
                raise ValueError("%s: %r is not a number" % (where, t)) from None
    return out


def read_rows(path, names=()):
    """X of every row of a CSV file: the columns named `names` (in that order) when the first line is a header, every
    column when it is not."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        lines = [r for r in csv.reader(f) if any(s.strip() for s in r)]
    if not lines:
        return []
    first = [s.strip() for s in lines[0]]
    if all(_is_number(s) or s[:1] in "{[" for s in first):
        return [_values(r, "%s line %d" % (path, n)) for n, r in enumerate(lines, 1)]
    missing = [n for n in names if n not in first]
    if not names or missing:
        raise ValueError("%s: the header %s lacks the feature columns %s the model was trained on; name them in the header"
                         % (path, first, missing or "(none recorded)"))
    index = [first.index(n) for n in names]
    return [_values([r[i] for i in index], "%s line %d" % (path, n)) for n, r in enumerate(lines[1:], 2)]


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4) or sys.argv[3:] not in ([], ["numpy"], ["torch"]):
        sys.exit("usage: load_model.py EXPORT_DIR ROWS.csv [numpy|torch]")
    features = load_weights(sys.argv[1])[1].get("independent_varname", [])
    for p in predict(sys.argv[1], read_rows(sys.argv[2], features), *sys.argv[3:]):
        print(",".join(repr(float(v)) for v in p))
