package amped.protocol.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import amped.protocol.listing.ListingQuery.SortKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListingQueryTest {

    /** query | Accept | page | sort | descending | json | zip; unknown parameters and values are ignored. */
    @ParameterizedTest(name = "[{index}] ?{0} Accept: {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL | NULL | 1 | NAME | false | false | false",
            "sort=size&order=desc | NULL | 1 | SIZE | true | false | false",
            "sort=time | NULL | 1 | TIME | false | false | false",
            "sort=bogus&order=sideways | NULL | 1 | NAME | false | false | false",
            "order=desc&page=3 | NULL | 3 | NAME | true | false | false",
            "page=0 | NULL | 0 | NAME | false | false | false",
            "page=x&page=2 | NULL | 0 | NAME | false | false | false",
            "page=9999999999 | NULL | 0 | NAME | false | false | false",
            "format=json | NULL | 1 | NAME | false | true | false",
            "format=html | application/json | 1 | NAME | false | false | false",
            "format=xml | application/json | 1 | NAME | false | true | false",
            "download=zip&x=1 | NULL | 1 | NAME | false | false | true",
            "download=tar | NULL | 1 | NAME | false | false | false",
            "NULL | 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' | 1 | NAME | false | false | false",
            "NULL | '*/*' | 1 | NAME | false | false | false",
            "NULL | 'application/json, text/plain, */*' | 1 | NAME | false | true | false",
            "NULL | 'application/json;q=0.5, text/html' | 1 | NAME | false | false | false",
            "NULL | 'text/html;q=0.5, application/json' | 1 | NAME | false | true | false",
            "NULL | 'application/json;q=0' | 1 | NAME | false | false | false",
            "NULL | 'application/*' | 1 | NAME | false | true | false",
            "NULL | 'application/json;q=bogus' | 1 | NAME | false | false | false",
    })
    void readsQueryAndAccept(String query, String accept, int page, SortKey sort, boolean descending, boolean json,
                             boolean zip) {
        assertEquals(new ListingQuery(page, sort, descending, json, zip), ListingQuery.of(query, accept));
    }

    @Test
    void linksKeepTheOrderAndFormat() {
        ListingQuery bySize = ListingQuery.of("sort=size&order=desc&page=2&format=json", null);
        assertEquals("?sort=size&order=desc&format=json&page=3", bySize.hrefToPage(3));
        assertEquals("?sort=size&order=desc&format=json", bySize.hrefToPage(1));
        assertEquals("?sort=size&order=asc&format=json", bySize.hrefToSort(SortKey.SIZE));
        assertEquals("?format=json", bySize.hrefToSort(SortKey.NAME));
        assertEquals("./", ListingQuery.DEFAULT.hrefToPage(1));
        assertEquals("?page=2", ListingQuery.DEFAULT.hrefToPage(2));
        assertEquals("?sort=name&order=desc", ListingQuery.DEFAULT.hrefToSort(SortKey.NAME));
        assertEquals("?sort=time&order=desc", ListingQuery.DEFAULT.hrefToSort(SortKey.TIME));
    }
}
