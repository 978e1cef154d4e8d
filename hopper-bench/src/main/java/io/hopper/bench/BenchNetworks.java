package io.hopper.bench;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.hopper.model.Network;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's networks, built from plain DJL blocks (Keras layout: channels-last input, softmax last layer) with
 * Glorot-uniform weights drawn from a seed.
 */
final class BenchNetworks {
    private BenchNetworks() {
    }

    /** A dense network: ReLU between layers, softmax at the end. */
    static Network mlp(int inputs, int... units) {
        Sequential block = new Sequential();
        for (int i = 0; i < units.length; i++) {
            block.add(Linear.builder().setUnits(units[i]).build());
            block.add(i < units.length - 1 ? Activation.reluBlock() : softmax());
        }
        return new SimpleNetwork(block, new Shape(inputs), new Shape(units[units.length - 1]));
    }

    /** Conv32 3x3 ReLU, MaxPool 2, Conv64 3x3 ReLU, MaxPool 2, Dense128 ReLU, Dense10 softmax on 28x28x1 images. */
    static Network cnn() {
        SequentialBlock block = new Sequential()
                .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().transpose(0, 3, 1, 2))))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(128).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build())
                .add(softmax());
        return new SimpleNetwork(block, new Shape(28, 28, 1), new Shape(10));
    }

    private static Block softmax() {
        return new LambdaBlock(x -> new NDList(x.singletonOrThrow().softmax(-1)));
    }

    /** A sequential block that passes the forward params (and so the step seed) to every child. */
    private static final class Sequential extends SequentialBlock {
        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDList current = inputs;
            for (Block child : getChildren().values()) {
                current = child.forward(store, current, training, params);
            }
            return current;
        }
    }

    /** A network over one block with seeded Glorot-uniform weights and zero biases. */
    private static final class SimpleNetwork implements Network {
        private final Block block;
        private final Shape input;
        private final Shape output;

        SimpleNetwork(Block block, Shape input, Shape output) {
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
            SplittableRandom random = new SplittableRandom(seed);
            Initializer glorot = (m, shape, type) -> {
                long receptive = shape.size() / (shape.get(0) * shape.get(1));
                double limit = Math.sqrt(6.0 / ((shape.get(0) + shape.get(1)) * receptive));
                float[] values = new float[(int) shape.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
                }
                return m.create(values, shape);
            };
            block.setInitializer(glorot, Parameter.Type.WEIGHT);
            block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(input));
        }
    }
}
