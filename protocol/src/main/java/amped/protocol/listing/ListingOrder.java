package amped.protocol.listing;

import java.util.Comparator;

/**
 * The orders a listing can be shown in. Each is total (ties end at the exact name, and names in a directory
 * are unique), so every entry is on exactly one page of a listing in that order. Directories always come
 * first, in either direction. Pure.
 */
public final class ListingOrder {

    /**
     * Names as people sort them: runs of ASCII digits compare by their value ({@code note-2} before
     * {@code note-10}), the rest character by character ignoring case (as {@link String#CASE_INSENSITIVE_ORDER},
     * which never consults the locale); names still equal (leading zeros, case) by case-insensitive order, then
     * by the exact name.
     */
    public static final Comparator<String> NATURAL = ListingOrder::compareNatural;

    private static final Comparator<DirectoryEntry> BY_NAME = Comparator.comparing(DirectoryEntry::name, NATURAL);

    private ListingOrder() {
    }

    /** Directories first, then by {@code key} (ties by name), smallest first unless {@code descending}. */
    public static Comparator<DirectoryEntry> of(ListingQuery.SortKey key, boolean descending) {
        Comparator<DirectoryEntry> byKey = switch (key) {
            case NAME -> BY_NAME;
            case SIZE -> Comparator.comparingLong(ListingOrder::sizeOf).thenComparing(BY_NAME);
            case TIME -> Comparator.comparingLong(DirectoryEntry::lastModifiedMillis).thenComparing(BY_NAME);
        };
        Comparator<DirectoryEntry> within = descending ? byKey.reversed() : byKey;
        return (a, b) -> a.directory() != b.directory() ? (a.directory() ? -1 : 1) : within.compare(a, b);
    }

    /** Directories have no size shown; unknown sizes sort as the smallest. */
    private static long sizeOf(DirectoryEntry e) {
        return e.directory() ? -1 : Math.max(-1, e.size());
    }

    private static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        int n = a.length();
        int m = b.length();
        while (i < n && j < m) {
            char c = a.charAt(i);
            char d = b.charAt(j);
            if (isDigit(c) && isDigit(d)) {
                int endA = digitsEnd(a, i);
                int endB = digitsEnd(b, j);
                int byValue = compareNumbers(a, i, endA, b, j, endB);
                if (byValue != 0) {
                    return byValue;
                }
                i = endA;
                j = endB;
                continue;
            }
            int byChar = Character.compare(fold(c), fold(d));
            if (byChar != 0) {
                return byChar;
            }
            i++;
            j++;
        }
        int byLength = Boolean.compare(i < n, j < m);
        if (byLength != 0) {
            return byLength;
        }
        int ignoringCase = String.CASE_INSENSITIVE_ORDER.compare(a, b);
        return ignoringCase != 0 ? ignoringCase : a.compareTo(b);
    }

    /** Only ASCII digits count: other scripts' digits would need their own numbering rules. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String s, int from) {
        int i = from;
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Compares two digit runs by value, however long: leading zeros skipped, then length, then digits. */
    private static int compareNumbers(String a, int i, int endA, String b, int j, int endB) {
        while (i < endA - 1 && a.charAt(i) == '0') {
            i++;
        }
        while (j < endB - 1 && b.charAt(j) == '0') {
            j++;
        }
        int byLength = Integer.compare(endA - i, endB - j);
        if (byLength != 0) {
            return byLength;
        }
        for (; i < endA; i++, j++) {
            int byDigit = Character.compare(a.charAt(i), b.charAt(j));
            if (byDigit != 0) {
                return byDigit;
            }
        }
        return 0;
    }

    /** The same folding as {@link String#CASE_INSENSITIVE_ORDER}. */
    private static char fold(char c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }
}
