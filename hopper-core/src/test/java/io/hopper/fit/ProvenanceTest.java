package io.hopper.fit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvenanceTest {
    @TempDir
    Path dir;

    @Test
    void theFingerprintFollowsThePackedBytesAndTheirDealing() {
        FitFixture a = new FitFixture(dir.resolve("a")).iris("iris", null);
        FitFixture b = new FitFixture(dir.resolve("b")).iris("iris", null);
        FitFixture c = new FitFixture(dir.resolve("c")).iris("iris", 4);
        String fa = Provenance.fingerprint(a.store, "iris");
        assertEquals(fa, Provenance.fingerprint(b.store, "iris"), "same source, settings and seed");
        assertNotEquals(fa, Provenance.fingerprint(c.store, "iris"), "one more class column in y");
        assertNotEquals(fa, Provenance.fingerprint(a.store, "iris_v"));
    }

    @Test
    void visitOrdersFollowStartTimesAndCompleteADivergedConfiguration() {
        List<Provenance.TrainedUnit> units = List.of(new Provenance.TrainedUnit(1, 1, 2, 0), new Provenance.TrainedUnit(1, 1, 0, 5),
                new Provenance.TrainedUnit(1, 1, 1, 9), new Provenance.TrainedUnit(2, 1, 1, 1));
        Map<Integer, List<List<Integer>>> orders = Provenance.visitOrders(List.of(1, 2), 1, 3, units);
        assertEquals(Map.of(1, List.of(List.of(2, 0, 1)), 2, List.of(List.of(1, 0, 2))), orders);
        assertEquals("{\"1\":[[2,0,1]],\"2\":[[1,0,2]]}", Provenance.visitOrdersJson(orders));
    }

    @Test
    void aTableWithoutTheRecordIsAOneLineError() {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        String m = assertThrows(IllegalArgumentException.class, () -> Provenance.read(f.store, "iris")).getMessage();
        assertTrue(m.startsWith("--replay 'iris': its summary has no provenance columns"), m);
    }
}
