package org.symphonyrl.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Explains why a bundle cannot run, in terms a user can act on: the packages it imports that
 * nothing exports, and the services it requires that nothing registers.
 */
final class ResolutionDiagnosis {

    private ResolutionDiagnosis() {
    }

    /** Mandatory package imports of {@code bundle} that no installed bundle (nor the system bundle) can satisfy. */
    static List<String> missingPackages(Bundle bundle, FrameworkWiring wiring) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return missing;
        }
        for (BundleRequirement req : revision.getDeclaredRequirements(PackageNamespace.PACKAGE_NAMESPACE)) {
            String resolution = req.getDirectives().get(PackageNamespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
            if (PackageNamespace.RESOLUTION_OPTIONAL.equals(resolution)) {
                continue;
            }
            Collection<?> providers = wiring.findProviders(req);
            if (providers.isEmpty()) {
                missing.add(describe(req));
            }
        }
        return missing;
    }

    /** Services {@code bundle} declares it requires (osgi.service requirements) that no bundle registers now. */
    static List<String> missingServices(Bundle bundle, BundleContext context) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return missing;
        }
        for (BundleRequirement req : revision.getDeclaredRequirements("osgi.service")) {
            String resolution = req.getDirectives().get(Constants.RESOLUTION_DIRECTIVE);
            String filter = req.getDirectives().get(Constants.FILTER_DIRECTIVE);
            if (Constants.RESOLUTION_OPTIONAL.equals(resolution) || filter == null) {
                continue;
            }
            try {
                if (context.getAllServiceReferences(null, filter) == null) {
                    missing.add("service " + filter);
                }
            } catch (InvalidSyntaxException e) {
                missing.add("service with unparsable filter " + filter);
            }
        }
        return missing;
    }

    /** "package ai.djl.foo (version [1.0,2))" from an import requirement's filter. */
    private static String describe(BundleRequirement req) {
        String filter = req.getDirectives().getOrDefault(Constants.FILTER_DIRECTIVE, req.toString());
        String pkg = extract(filter, "(osgi.wiring.package=");
        String low = extract(filter, "(version>=");
        String high = extract(filter, "(!(version>=");
        StringBuilder s = new StringBuilder("package ").append(pkg != null ? pkg : filter);
        if (low != null || high != null) {
            s.append(" (version ").append(low != null ? ">= " + low : "").append(low != null && high != null ? ", " : "")
                    .append(high != null ? "< " + high : "").append(")");
        }
        return s.toString();
    }

    private static String extract(String filter, String key) {
        int at = filter.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        int end = filter.indexOf(')', start);
        return end < 0 ? null : filter.substring(start, end);
    }

    /** "symphony-core.jar (org.symphonyrl.core 0.1.0)" */
    static String name(Bundle bundle) {
        String location = bundle.getLocation();
        String file = location.substring(location.lastIndexOf('/') + 1);
        return file + " (" + bundle.getSymbolicName() + " " + bundle.getVersion() + ")";
    }
}
