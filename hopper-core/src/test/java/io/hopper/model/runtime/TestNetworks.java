package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.hopper.model.Network;

import java.util.List;
import java.util.SplittableRandom;

/** Small hand-built networks for the runtime's tests (the Keras builder lives elsewhere). */
final class TestNetworks {
    private TestNetworks() {
    }

    /** A dense network: ReLU between layers, softmax at the end. */
    static Network mlp(int inputs, int... units) {
        SequentialBlock block = new Sequential();
        for (int i = 0; i < units.length; i++) {
            block.add(Linear.builder().setUnits(units[i]).build());
            block.add(i < units.length - 1 ? Activation.reluBlock() : softmax());
        }
        return new Simple(block, new Shape(inputs), new Shape(units[units.length - 1]));
    }

    /** Dense, batch normalization, seeded dropout, dense softmax: has non-trainable state and random draws. */
    static Network batchNormDropout(int inputs, int hidden, int classes) {
        SequentialBlock block = new Sequential()
                .add(Linear.builder().setUnits(hidden).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(new SeededDropout(0.3f))
                .add(Linear.builder().setUnits(classes).build())
                .add(softmax());
        return new Simple(block, new Shape(inputs), new Shape(classes));
    }

    /** A small channels-last CNN: Conv4 3x3 ReLU, MaxPool 2, Dense softmax, on 6x6x1 images. */
    static Network cnn(int classes) {
        SequentialBlock block = new Sequential()
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().transpose(0, 3, 1, 2))))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build())
                .add(softmax());
        return new Simple(block, new Shape(6, 6, 1), new Shape(classes));
    }

    /** DJL's SequentialBlock drops the forward params; this one passes them (and so the seed) to every child. */
    static final class Sequential extends SequentialBlock {
        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDList current = inputs;
            for (Block child : getChildren().values()) {
                current = child.forward(store, current, training, params);
            }
            return current;
        }
    }

    private static Block softmax() {
        return new LambdaBlock(x -> new NDList(x.singletonOrThrow().softmax(-1)));
    }

    /** A network over a sequential block, with Glorot-uniform weights drawn from the seed and zero biases. */
    private static final class Simple implements Network {
        private final Block block;
        private final Shape input;
        private final Shape output;

        Simple(Block block, Shape input, Shape output) {
            this.block = block;
            this.input = input;
            this.output = output;
        }

        @Override
        public Block block() {
            return block;
        }

        @Override
        public List<Shape> inputShapes() {
            return List.of(input);
        }

        @Override
        public List<Shape> outputShapes() {
            return List.of(output);
        }

        @Override
        public void initialize(NDManager manager, long seed) {
            block.setInitializer(new Glorot(seed), Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(input));
        }
    }

    /** Glorot uniform from a seeded generator. */
    static final class Glorot implements Initializer {
        private final SplittableRandom random;

        Glorot(long seed) {
            this.random = new SplittableRandom(seed);
        }

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            long receptive = shape.size() / (shape.get(0) * shape.get(1));
            double limit = Math.sqrt(6.0 / ((shape.get(0) + shape.get(1)) * receptive));
            float[] values = new float[(int) shape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
            return manager.create(values, shape);
        }
    }

    /** Inverted dropout whose mask comes from the forward call's seed. */
    static final class SeededDropout extends AbstractBlock {
        private final float rate;

        SeededDropout(float rate) {
            this.rate = rate;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            if (!training) {
                return inputs;
            }
            SplittableRandom random = new SplittableRandom((Long) params.get(Network.SEED_PARAM));
            float[] mask = new float[(int) x.size()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = random.nextDouble() < rate ? 0f : 1f / (1f - rate);
            }
            return new NDList(x.mul(x.getManager().create(mask, x.getShape())));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
