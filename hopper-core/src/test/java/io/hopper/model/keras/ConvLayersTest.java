package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvLayersTest {

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    @Test
    void conv2dShapesAndCounts() {
        // same, stride 2 on 5x5: ceil(5/2) = 3; params 3*3*2*4 + 4 = 76
        KerasArchitecture a = TestModels.one("5, 5, 2", "Conv2D", "\"filters\": 4, \"kernel_size\": [3, 3], \"strides\": [2, 2], \"padding\": \"same\"");
        assertEquals(new Shape(3, 3, 4), a.outputShapes().get(0));
        assertEquals(76, a.summary().totalParams());
        // valid, dilation 2 on 7x7: span (3-1)*2+1 = 5 -> 7-5+1 = 3; no bias: 3*3*2*4 = 72
        KerasArchitecture d = TestModels.one("7, 7, 2", "Conv2D", "\"filters\": 4, \"kernel_size\": 3, \"dilation_rate\": 2, \"use_bias\": false");
        assertEquals(new Shape(3, 3, 4), d.outputShapes().get(0));
        assertEquals(72, d.summary().totalParams());
        // channels_first: [2, 5, 5] -> [4, 3, 3]
        KerasArchitecture cf = TestModels.one("2, 5, 5", "Conv2D", "\"filters\": 4, \"kernel_size\": 3, \"data_format\": \"channels_first\"");
        assertEquals(new Shape(4, 3, 3), cf.outputShapes().get(0));
        assertEquals(76, cf.summary().totalParams());
        // groups 2: kernel 3*3*(4/2)*6 + 6 = 114
        assertEquals(114, TestModels.one("5, 5, 4", "Conv2D", "\"filters\": 6, \"kernel_size\": 3, \"groups\": 2").summary().totalParams());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> TestModels.one("2, 2, 1", "Conv2D", "\"filters\": 1, \"kernel_size\": 3"));
        assertTrue(big.getMessage().contains("layer 'l' (Conv2D)"), big.getMessage());
    }

    @Test
    void conv1dDepthwiseSeparableCounts() {
        // Conv1D: 5*3*8 + 8 = 128; valid on 20 steps -> 16; causal keeps 20
        KerasArchitecture c1 = TestModels.one("20, 3", "Conv1D", "\"filters\": 8, \"kernel_size\": [5]");
        assertEquals(new Shape(16, 8), c1.outputShapes().get(0));
        assertEquals(128, c1.summary().totalParams());
        assertEquals(new Shape(20, 8), TestModels.one("20, 3", "Conv1D", "\"filters\": 8, \"kernel_size\": 5, \"padding\": \"causal\"").outputShapes().get(0));
        // DepthwiseConv2D, 3 channels, multiplier 2: 3*3*3*2 + 3*2 = 60
        KerasArchitecture dw = TestModels.one("8, 8, 3", "DepthwiseConv2D", "\"kernel_size\": 3, \"depth_multiplier\": 2");
        assertEquals(new Shape(6, 6, 6), dw.outputShapes().get(0));
        assertEquals(60, dw.summary().totalParams());
        // SeparableConv2D: depthwise 3*3*3*1 = 27, pointwise 1*1*3*16 = 48, bias 16: 91
        KerasArchitecture sep = TestModels.one("8, 8, 3", "SeparableConv2D", "\"filters\": 16, \"kernel_size\": 3, \"padding\": \"same\"");
        assertEquals(new Shape(8, 8, 16), sep.outputShapes().get(0));
        assertEquals(91, sep.summary().totalParams());
    }

    @Test
    void samePaddingPutsTheOddZeroAfterAsTensorFlowDoes() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasArchitecture a = TestModels.one("4, 4, 1", "Conv2D", "\"filters\": 1, \"kernel_size\": 3, \"strides\": 2, \"padding\": \"same\"");
            NDArray y = TestModels.run(m, a, List.of(ones(9), new float[1]), m.ones(new Shape(1, 4, 4, 1)), false);
            // pad total (2-1)*2+3-4 = 1, all after: windows rows/cols {0,1,2} and {2,3,pad}: 3*3, 3*2, 2*3, 2*2
            assertArrayEquals(new float[] {9, 6, 6, 4}, y.toFloatArray());
            KerasArchitecture s1 = TestModels.one("3, 3, 1", "Conv2D", "\"filters\": 1, \"kernel_size\": 3, \"padding\": \"same\"");
            NDArray z = TestModels.run(m, s1, List.of(ones(9), new float[] {0.5f}), m.ones(new Shape(1, 3, 3, 1)), false);
            assertArrayEquals(new float[] {4.5f, 6.5f, 4.5f, 6.5f, 9.5f, 6.5f, 4.5f, 6.5f, 4.5f}, z.toFloatArray());
        }
    }

    @Test
    void kernelLayoutIsKeras() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 1x1 conv, in 2, out 3: kernel[0][0][i][o] = 10*i + o; y_o = sum_i x_i * k[i][o]
            KerasArchitecture a = TestModels.one("1, 1, 2", "Conv2D", "\"filters\": 3, \"kernel_size\": 1");
            NDArray y = TestModels.run(m, a, List.of(new float[] {0, 1, 2, 10, 11, 12}, new float[3]),
                    m.create(new float[] {1, 2}, new Shape(1, 1, 1, 2)), false);
            assertArrayEquals(new float[] {20, 23, 26}, y.toFloatArray());
            // depthwise, 2 channels x multiplier 2: output channel c*2+m = x_c * k[c][m]
            KerasArchitecture dw = TestModels.one("1, 1, 2", "DepthwiseConv2D", "\"kernel_size\": 1, \"depth_multiplier\": 2");
            NDArray z = TestModels.run(m, dw, List.of(new float[] {1, 2, 3, 4}, new float[4]), m.create(new float[] {1, 10}, new Shape(1, 1, 1, 2)), false);
            assertArrayEquals(new float[] {1, 2, 30, 40}, z.toFloatArray());
        }
    }

    @Test
    void channelsFirstMatchesChannelsLast() {
        try (NDManager m = NDManager.newBaseManager()) {
            String cfg = "\"filters\": 3, \"kernel_size\": 3, \"strides\": 2, \"padding\": \"same\", \"activation\": \"tanh\"";
            KerasNetwork last = new KerasNetwork(TestModels.one("6, 5, 2", "Conv2D", cfg));
            last.initialize(m, 4);
            KerasNetwork first = new KerasNetwork(TestModels.one("2, 6, 5", "Conv2D", cfg + ", \"data_format\": \"channels_first\""));
            first.initialize(m, 4);
            assertArrayEquals(last.kerasWeights().get(0), first.kerasWeights().get(0));
            NDArray x = TestModels.random(m, new Shape(2, 6, 5, 2), 9);
            NDArray yl = TestModels.forward(last, m, new ai.djl.ndarray.NDList(x), false).head();
            NDArray yf = TestModels.forward(first, m, new ai.djl.ndarray.NDList(x.transpose(0, 3, 1, 2)), false).head();
            assertEquals(new Shape(2, 3, 3, 3), yl.getShape());
            assertArrayEquals(yl.toFloatArray(), yf.transpose(0, 2, 3, 1).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void gradientsFlowThroughEveryConvolution() {
        String json = TestModels.sequential("2.2.4", "9, 9, 4",
                TestModels.layer("Conv2D", "c", "\"filters\": 4, \"kernel_size\": 3, \"groups\": 2, \"padding\": \"same\", \"strides\": 2"),
                TestModels.layer("DepthwiseConv2D", "d", "\"kernel_size\": 2, \"depth_multiplier\": 2"),
                TestModels.layer("SeparableConv2D", "s", "\"filters\": 3, \"kernel_size\": 2, \"padding\": \"same\""),
                TestModels.layer("Reshape", "r", "\"target_shape\": [-1, 3]"),
                TestModels.layer("Conv1D", "c1", "\"filters\": 2, \"kernel_size\": 2, \"padding\": \"causal\", \"dilation_rate\": 2"));
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(json));
            net.initialize(m, 2);
            TestModels.checkGradients(net, m, 2);
        }
    }

    @Test
    void transposedConvolutionMatchesTheDefinition() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 3, 1));
            List<float[]> w = List.of(new float[] {1, 10, 100}, new float[] {0.5f});
            // out[i*stride + k] += x[i] * kernel[k], then the bias
            KerasArchitecture valid = TestModels.one("3, 1", "Conv1DTranspose", "\"filters\": 1, \"kernel_size\": 3, \"strides\": 2");
            assertEquals(new Shape(7, 1), valid.outputShapes().get(0));
            assertArrayEquals(new float[] {1.5f, 10.5f, 102.5f, 20.5f, 203.5f, 30.5f, 300.5f}, TestModels.run(m, valid, w, x, false).toFloatArray());
            // 'same' keeps length*stride: TensorFlow crops k - stride = 1 position, after
            KerasArchitecture same = TestModels.one("3, 1", "Conv1DTranspose", "\"filters\": 1, \"kernel_size\": 3, \"strides\": 2, \"padding\": \"same\"");
            assertArrayEquals(new float[] {1.5f, 10.5f, 102.5f, 20.5f, 203.5f, 30.5f}, TestModels.run(m, same, w, x, false).toFloatArray());
            KerasArchitecture two = TestModels.one("3, 3, 2", "Conv2DTranspose", "\"filters\": 4, \"kernel_size\": [2, 3], \"strides\": 2, \"padding\": \"same\"");
            assertEquals(new Shape(6, 6, 4), two.outputShapes().get(0));
            assertEquals(2 * 3 * 4 * 2 + 4, two.summary().totalParams());
            KerasNetwork net = new KerasNetwork(two);
            net.initialize(m, 2);
            TestModels.checkGradients(net, m, 2);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestModels.one("3, 1", "Conv1DTranspose", "\"filters\": 1, \"kernel_size\": 3, \"output_padding\": 1"));
        assertTrue(e.getMessage().contains("'output_padding'"), e.getMessage());
    }

    @Test
    void conv3dCountsLikeKeras() {
        KerasArchitecture a = TestModels.one("6, 6, 6, 2", "Conv3D", "\"filters\": 4, \"kernel_size\": 3, \"strides\": 2, \"padding\": \"same\"");
        assertEquals(new Shape(3, 3, 3, 4), a.outputShapes().get(0));
        assertEquals(3 * 3 * 3 * 2 * 4 + 4, a.summary().totalParams());
    }

    @Test
    void depthwiseWithDepthMultiplierSumsTheWholeWindowOnChannelsLastInput() {
        // out[c * 2 + m] = x[0, c] * K[0, 0, c, m] + x[1, c] * K[1, 0, c, m]; PyTorch got only the first row on a channels-last view.
        KerasArchitecture a = TestModels.one("2, 1, 2", "DepthwiseConv2D", "\"kernel_size\": [2, 1], \"depth_multiplier\": 2, \"use_bias\": false");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray y = TestModels.run(m, a, List.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}), m.create(new float[] {1, 10, 100, 1000}, new Shape(1, 2, 1, 2)), false);
            assertArrayEquals(new float[] {501, 602, 7030, 8040}, y.toFloatArray(), 1e-3f);
        }
    }
}
