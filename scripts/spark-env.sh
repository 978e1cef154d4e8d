# Sourced by the Spark scripts and the hopper command: where the generated SPARK_HOME is and the JVM options
# Spark needs on Java 17+ (the module openings of Spark's JavaModuleOptions). Keep SPARK_JAVA_OPTS in step with
# the spark.jvm.opens property of the parent pom.
hopper_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SPARK_HOME="${SPARK_HOME:-$hopper_root/hopper-spark/target/spark-home}"
# A SPARK_HOME without a build tree must name its Scala version for Spark's launcher.
export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"
SPARK_JAVA_OPTS="-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
--add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
export SPARK_JAVA_OPTS
# Spark binds to the address the host name resolves to, which may be a network interface; a cluster on this
# machine (local[N], local-cluster, the standalone cluster of spark-cluster.sh) stays on loopback. For a cluster
# of several machines, set SPARK_LOCAL_IP to this machine's address on their network.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

# Builds hopper-spark (its jar, target/lib and the SPARK_HOME of the resolved Spark jars) when missing or older
# than the sources.
hopper_spark_build() {
  local jar="$hopper_root/hopper-spark/target/hopper-spark.jar"
  if [ ! -d "$SPARK_HOME/jars" ] || [ ! -f "$jar" ] || [ -n "$(find "$hopper_root/pom.xml" "$hopper_root/hopper-core" \
      "$hopper_root/hopper-cli" "$hopper_root/hopper-spark" \( -path '*/target' -prune \) -o \( -type f \
      \( -path '*/src/main/*' -o -name 'pom.xml' \) -newer "$jar" -print \) 2>/dev/null | head -n 1)" ]; then
    echo "hopper: building hopper-spark and its SPARK_HOME..." >&2
    (cd "$hopper_root" && mvn -q -B -DskipTests -pl hopper-spark -am package) >&2
  fi
}
