package io.hopper.automl;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperoptParamsTest {

    @Test
    void madlibsDefaultsAndKeys() {
        HyperoptParams d = HyperoptParams.parse("");
        assertEquals(new HyperoptParams(20, 5, HyperoptParams.Algorithm.TPE, OptionalInt.empty(), Tpe.Settings.DEFAULTS), d);
        assertEquals("num_configs=20, num_iterations=5, algorithm=tpe, gamma=0.25, n_ei_candidates=24, n_startup=5", d.params());
        assertEquals(d, HyperoptParams.parse(d.params()));
        HyperoptParams rand = HyperoptParams.parse("num_configs=6, num_iterations=2, algorithm='RAND', bucket_size=2");
        assertEquals(HyperoptParams.Algorithm.RAND, rand.algorithm());
        assertEquals(OptionalInt.of(2), rand.bucketSize());
        assertEquals("num_configs=6, num_iterations=2, algorithm=rand, bucket_size=2", rand.params());
        assertEquals(3, HyperoptParams.parse("num_configs=3").tpe().startup(), "n_startup defaults to at most num_configs");
        HyperoptParams tuned = HyperoptParams.parse("algorithm=tpe, gamma=0.15, n_ei_candidates=64, n_startup=4, num_configs=30");
        assertEquals(new Tpe.Settings(0.15, 64, 4, 1.0), tuned.tpe());
    }

    @Test
    void everyRuleIsRefusedWithOneLine() {
        List<List<String>> refused = List.of(
                List.of("num_configs=0", "tpe: num_configs=0 must be at least 1"),
                List.of("num_iterations=0", "tpe: num_iterations=0 must be at least 1"),
                List.of("algorithm=atpe", "tpe: algorithm=atpe is not tpe or rand"),
                List.of("bucket_size=0", "tpe: bucket_size=0 must be between 1 and num_configs=20"),
                List.of("num_configs=4, bucket_size=5", "tpe: bucket_size=5 must be between 1 and num_configs=4"),
                List.of("num_configs=4, n_startup=5", "tpe: n_startup=5 is above num_configs=4"),
                List.of("gamma=1", "tpe: gamma=1.0 must be in (0, 1)"),
                List.of("gamma=0", "tpe: gamma=0.0 must be in (0, 1)"),
                List.of("n_ei_candidates=0", "tpe: n_ei_candidates=0 must be at least 1"),
                List.of("n_startup=0", "tpe: n_startup=0 must be at least 1"),
                List.of("algorithm=rand, gamma=0.2", "tpe: gamma applies to algorithm=tpe only"),
                List.of("algorithm=rand, n_startup=2", "tpe: n_startup applies to algorithm=tpe only"),
                List.of("algorithm=rand, n_ei_candidates=2", "tpe: n_ei_candidates applies to algorithm=tpe only"),
                List.of("num_configs=x", "automl_params: num_configs=x is not an integer"),
                List.of("gamma=1e", "automl_params: gamma=1e is not a finite number"),
                List.of("R=9", "automl_params: unknown key 'R' for tpe"),
                List.of("num_configs=2, num_configs=3", "automl_params: key 'num_configs' is given twice"),
                List.of("num_configs", "automl_params: 'num_configs' in \"num_configs\" is not key=value"));
        for (List<String> c : refused) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HyperoptParams.parse(c.get(0)), c.get(0));
            assertTrue(e.getMessage().startsWith(c.get(1)), c.get(0) + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
