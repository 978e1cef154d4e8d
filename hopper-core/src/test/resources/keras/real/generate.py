# Generates the real Keras 3 documents of this directory: keras.applications models and common user patterns,
# saved with model.to_json() (weights=None: architectures only), gzip-compressed, with Keras's own parameter counts.
# Run: python -m venv v && v/bin/pip install keras jax && KERAS_BACKEND=jax v/bin/python generate.py OUTDIR
import gzip, io, json, os, sys
os.environ["KERAS_BACKEND"] = "jax"
import jax
import keras
from keras import layers

out = sys.argv[1] if len(sys.argv) > 1 else "."
counts = []


def summary_counts(m):
    """Total, trainable and non-trainable params as model.summary() prints them."""
    lines = []
    m.summary(print_fn=lambda s, **kw: lines.append(s))
    text = "\n".join(lines)
    found = {}
    for key in ("Total params", "Trainable params", "Non-trainable params"):
        line = next(l for l in text.splitlines() if l.strip().startswith(key + ":"))
        found[key] = int(line.split(":")[1].split("(")[0].replace(",", "").strip())
    return found["Total params"], found["Trainable params"], found["Non-trainable params"]


def save(name, call, m):
    doc = m.to_json()
    with gzip.GzipFile(f"{out}/{name}.json.gz", "wb", mtime=0) as f:
        f.write(doc.encode("utf-8"))
    total, trainable, non_trainable = summary_counts(m)
    tr = sum(int(w.numpy().size) for w in m.trainable_weights)
    nt = sum(int(w.numpy().size) for w in m.non_trainable_weights)
    assert (total, trainable, non_trainable) == (m.count_params(), tr, nt), name
    counts.append(f"{name}.json.gz {total} {trainable} {non_trainable}  # {call}")


apps = keras.applications
save("resnet50", "keras.applications.ResNet50(weights=None, input_shape=(32, 32, 3), classes=4)",
     apps.ResNet50(weights=None, input_shape=(32, 32, 3), classes=4))
save("densenet121", "keras.applications.DenseNet121(weights=None, input_shape=(32, 32, 3), classes=4)",
     apps.DenseNet121(weights=None, input_shape=(32, 32, 3), classes=4))
save("efficientnetb0", "keras.applications.EfficientNetB0(weights=None, input_shape=(32, 32, 3), classes=4)",
     apps.EfficientNetB0(weights=None, input_shape=(32, 32, 3), classes=4))
save("mobilenetv2", "keras.applications.MobileNetV2(weights=None, input_shape=(32, 32, 3), classes=4)",
     apps.MobileNetV2(weights=None, input_shape=(32, 32, 3), classes=4))
save("mobilenetv3small", "keras.applications.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=4)",
     apps.MobileNetV3Small(weights=None, input_shape=(32, 32, 3), classes=4))

# Transfer learning as the Keras guide writes it: a frozen base, first layer of a Sequential, plus a new head.
base = apps.MobileNetV2(weights=None, input_shape=(32, 32, 3), include_top=False)
base.trainable = False
t = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dropout(0.2), layers.Dense(4, activation="softmax")])
t.build((None, 32, 32, 3))
save("transfer_mobilenetv2_frozen", "Sequential([MobileNetV2(weights=None, input_shape=(32, 32, 3), include_top=False) "
     "frozen, GlobalAveragePooling2D(), Dropout(0.2), Dense(4, softmax)])", t)
inp = keras.Input((32, 32, 3))
x = layers.RandomFlip("horizontal")(inp)
x = layers.RandomRotation(0.1)(x)
x = layers.Rescaling(1 / 255.)(x)
x = base(x, training=False)
x = layers.GlobalAveragePooling2D()(x)
o = layers.Dense(2, activation="softmax")(x)
save("transfer_functional_augment", "Input(32, 32, 3) -> RandomFlip -> RandomRotation(0.1) -> Rescaling(1/255) -> "
     "frozen MobileNetV2 base(training=False) -> GlobalAveragePooling2D -> Dense(2, softmax)", keras.Model(inp, o))

tx = keras.Sequential([keras.Input((20,)), layers.Embedding(1000, 16, mask_zero=True),
                       layers.LSTM(32, dropout=0.2, recurrent_dropout=0.2), layers.Dense(2, activation="softmax")])
save("text_lstm", "Sequential([Input((20,)), Embedding(1000, 16, mask_zero=True), LSTM(32, dropout=0.2, "
     "recurrent_dropout=0.2), Dense(2, softmax)])", tx)
ti = keras.Input((20,), dtype="int32")
e = layers.Embedding(1000, 32)(ti)
a = layers.MultiHeadAttention(num_heads=2, key_dim=16)(e, e)
x = layers.LayerNormalization()(layers.Add()([e, a]))
x = layers.Dense(3, activation="softmax")(layers.GlobalAveragePooling1D()(x))
save("transformer_block", "Input((20,), int32) -> Embedding(1000, 32) -> MultiHeadAttention(2, 16)(e, e) -> Add -> "
     "LayerNormalization -> GlobalAveragePooling1D -> Dense(3, softmax)", keras.Model(ti, x))
bi = keras.Sequential([keras.Input((None,), dtype="int64"), layers.Embedding(2000, 16, mask_zero=True),
                       layers.Bidirectional(layers.LSTM(8, return_sequences=True)), layers.Bidirectional(layers.GRU(8)),
                       layers.Dense(2, activation="softmax")])
save("text_bilstm_gru", "Sequential([Input((None,), int64), Embedding(2000, 16, mask_zero=True), "
     "Bidirectional(LSTM(8, return_sequences=True)), Bidirectional(GRU(8)), Dense(2, softmax)])", bi)

# Two inputs through one shared nested encoder (called twice: shared weights), two outputs.
tok = keras.Input((10,), dtype="int32")
h = layers.Embedding(500, 16)(tok)
h = layers.LayerNormalization()(layers.Add()([h, layers.MultiHeadAttention(num_heads=2, key_dim=8)(h, h)]))
encoder = keras.Model(tok, layers.GlobalAveragePooling1D()(h), name="encoder")
qa, qb = keras.Input((10,), dtype="int32", name="question_a"), keras.Input((10,), dtype="int32", name="question_b")
ea, eb = encoder(qa), encoder(qb)
both = layers.Concatenate()([ea, eb])
save("shared_encoder_two_outputs", "encoder = Model(Input((10,), int32) -> Embedding(500, 16) -> MultiHeadAttention(2, 8) "
     "-> Add -> LayerNormalization -> GlobalAveragePooling1D); Model([a, b], [Dense(2, softmax)(Concatenate([encoder(a), "
     "encoder(b)])), Dense(3, softmax)(encoder(a))])",
     keras.Model([qa, qb], [layers.Dense(2, activation="softmax", name="same")(both),
                            layers.Dense(3, activation="softmax", name="topic")(ea)]))
# A mask from keras.ops (Keras 3 writes it as an op layer) into a Bidirectional LSTM.
ids = keras.Input((15,), dtype="int32")
mask = keras.ops.not_equal(ids, 0)
x = layers.Embedding(300, 8)(ids)
x = layers.Bidirectional(layers.LSTM(6, return_sequences=True))(x, mask=mask)
x = layers.GlobalAveragePooling1D()(x, mask=mask)
save("text_ops_not_equal_mask", "ids = Input((15,), int32); mask = keras.ops.not_equal(ids, 0); Embedding(300, 8) -> "
     "Bidirectional(LSTM(6, return_sequences=True))(x, mask=mask) -> GlobalAveragePooling1D()(x, mask=mask) -> Dense(2, softmax)",
     keras.Model(ids, layers.Dense(2, activation="softmax")(x)))

with open(f"{out}/counts.txt", "w") as f:
    f.write("# file total trainable non-trainable (Keras's model.summary() = count_params(), trainable/non-trainable weight sizes)  # call\n")
    f.write("\n".join(counts) + "\n")
print(f"keras {keras.__version__} jax {jax.__version__} backend {keras.backend.backend()}")
print("\n".join(counts))
