/**
 * The entry point for other Java programs: {@link io.jgan.api.Generator} loads a generator exported
 * by {@code jgan export} and makes {@link io.jgan.api.Images}. Everything else in jgan is the
 * training tool; this package is the part that stays stable for programs that depend on it.
 *
 * <pre>{@code
 * try (Generator generator = Generator.load(Path.of("savedmodels/dcgan-mnist"))) {
 *   Images digits = generator.generate(16, 42);   // as 'jgan generate --model ... --count 16 --seed 42'
 *   digits.writeGrid(Path.of("digits.png"));
 * }
 * }</pre>
 */
package io.jgan.api;
