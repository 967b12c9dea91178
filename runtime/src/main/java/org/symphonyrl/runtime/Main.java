package org.symphonyrl.runtime;

/** Entry point of {@code ./symphony}; filled in by the foundation work. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("symphony: runtime under construction");
    }
}
