package io.jgan.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jgan.BadInputException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CelebA attribute table: accepted variants and every error, each naming the file and line. */
class AttributeCsvTest {
  private static final Path FILE = Path.of("attrs.csv");
  private static final String GOOD = "image_id,Blond_Hair,Smiling\n000001.jpg,1,-1\n000002.jpg,-1,1\n000003.jpg,-1,-1\n";

  @Test
  void joinsLabelsByFileNameWhateverTheFolderOrder() {
    AttributeCsv csv = AttributeCsv.parse(GOOD, FILE);
    assertEquals(List.of("Blond_Hair", "Smiling"), csv.attributes());
    List<Path> images = List.of(Path.of("faces/000003.jpg"), Path.of("faces/000001.jpg"));
    assertArrayEquals(new int[] {0, 1}, csv.labels(images, "Blond_Hair"));
    assertArrayEquals(new int[] {0, 0}, csv.labels(images, "Smiling"));
  }

  @Test
  void acceptsBomCrlfAndTrailingNewlines() {
    AttributeCsv csv = AttributeCsv.parse("\uFEFF" + GOOD.replace("\n", "\r\n") + "\r\n", FILE);
    assertEquals(3, csv.size());
    assertArrayEquals(new int[] {1}, csv.labels(List.of(Path.of("000001.jpg")), "Blond_Hair"));
  }

  @Test
  void rowsWithoutAnImageAreAllowed() {
    // CelebA lists 202,599 images; a folder may hold a subset.
    assertArrayEquals(new int[] {0}, AttributeCsv.parse(GOOD, FILE).labels(List.of(Path.of("000002.jpg")), "Blond_Hair"));
  }

  @Test
  void errorsNameTheFileAndLine() {
    expect("image_id,A\nx.jpg,1,-1\n", "attrs.csv line 2: expected 2 columns as in the header, got 3");
    expect("image_id,A\nx.jpg,0\n", "attrs.csv line 2: expected 1 or -1 for A, got '0'");
    expect("image_id,A\nx.jpg,yes\n", "attrs.csv line 2: expected 1 or -1 for A, got 'yes'");
    expect("image_id,A\nx.jpg,1\nx.jpg,-1\n", "attrs.csv line 3: 'x.jpg' already has a row on line 2");
    expect("image_id,A\n,1\n", "attrs.csv line 2: expected a file name in column 1, got an empty one");
    expect("image_id,A\nx.jpg,1\n\ny.jpg,1\n", "attrs.csv line 3: expected a row of 2 values, got an empty line");
    expect("image_id,A,A\nx.jpg,1,1\n", "attrs.csv line 1: attribute 'A' appears in columns 2 and 3");
    expect("image_id\nx.jpg\n", "attrs.csv line 1: expected a header 'image_id,Attribute,...' with at least one attribute, got 'image_id'");
    expect("", "attrs.csv: expected a header line 'image_id,Attribute,...', got an empty file");
    expect("image_id,A\n", "attrs.csv: expected at least one row after the header, got none");
  }

  @Test
  void missingRowUnknownAttributeAndNameClashAreErrors() {
    AttributeCsv csv = AttributeCsv.parse(GOOD, FILE);
    BadInputException e = assertThrows(BadInputException.class,
        () -> csv.labels(List.of(Path.of("d/000009.jpg")), "Blond_Hair"));
    assertEquals("attrs.csv: expected a row for image d/000009.jpg ('000009.jpg'), found none", e.getMessage());
    e = assertThrows(BadInputException.class, () -> csv.labels(List.of(Path.of("000001.jpg")), "Bald"));
    assertEquals("attrs.csv: expected an attribute named 'Bald', got only Blond_Hair, Smiling", e.getMessage());
    e = assertThrows(BadInputException.class,
        () -> csv.labels(List.of(Path.of("a/000001.jpg"), Path.of("b/000001.jpg")), "Smiling"));
    assertEquals("attrs.csv: cannot join by file name: both a/000001.jpg and b/000001.jpg are called '000001.jpg'",
        e.getMessage());
  }

  private static void expect(String text, String message) {
    BadInputException e = assertThrows(BadInputException.class, () -> AttributeCsv.parse(text, FILE));
    assertEquals(message, e.getMessage());
  }

  @Test
  void messagesNameTheColumnAndShortenLongLists() {
    expect("image_id,A,,B\nx.jpg,1,1,1\n", "attrs.csv line 1: expected an attribute name in column 3, got an empty one");
    // A value of 60 characters is shown whole, one of 61 shortened; control characters as '?'.
    String sixty = "y".repeat(60);
    expect("image_id,A\nx.jpg," + sixty + "\n", "attrs.csv line 2: expected 1 or -1 for A, got '" + sixty + "'");
    expect("image_id,A\nx.jpg," + sixty + "z\n", "attrs.csv line 2: expected 1 or -1 for A, got '" + sixty + "...'");
    expect("image_id,A\nx.jpg,\u00071\n", "attrs.csv line 2: expected 1 or -1 for A, got '?1'");
    // Up to 12 attributes are listed when the one asked for is missing; more are cut with "...".
    StringBuilder twelve = new StringBuilder("image_id");
    StringBuilder row = new StringBuilder("x.jpg");
    for (int a = 1; a <= 13; a++) {
      if (a <= 12) {
        twelve.append(",A").append(a);
        row.append(",1");
      }
    }
    AttributeCsv csv12 = AttributeCsv.parse(twelve + "\n" + row + "\n", FILE);
    assertEquals("attrs.csv: expected an attribute named 'Bald', got only A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12",
        assertThrows(BadInputException.class, () -> csv12.labels(List.of(Path.of("x.jpg")), "Bald")).getMessage());
    AttributeCsv csv13 = AttributeCsv.parse(twelve + ",A13\n" + row + ",1\n", FILE);
    assertEquals("attrs.csv: expected an attribute named 'Bald', got only A1, A2, A3, A4, A5, A6, A7, A8, A9, A10, A11, A12, ...",
        assertThrows(BadInputException.class, () -> csv13.labels(List.of(Path.of("x.jpg")), "Bald")).getMessage());
    assertEquals(2, AttributeCsv.parse(GOOD, FILE).lineOf("000001.jpg"));
    assertEquals(-1, AttributeCsv.parse(GOOD, FILE).lineOf("000009.jpg"));
  }
}
