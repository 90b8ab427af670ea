package dev.sluice.agent.references;

import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One thing Sluice's code needs from the host's classes, as one line of a reference file, and how to check it against
 * the host's classes without loading any of them (a Byte Buddy {@link TypePool}).
 *
 * <ul>
 *   <li>{@code type <class>}: the class exists;</li>
 *   <li>{@code method <owner> <name> <descriptor>}: a call resolves as the JVM resolves it (the owner, its
 *   superclasses, then its interfaces); a descriptor ending at {@code ')'} matches any return type, as {@code Class.getMethod} does
 *   (a method called by reflection whose erased return type differs between Scala lines);</li>
 *   <li>{@code field <owner> <name> <descriptor>}: a field access resolves likewise;</li>
 *   <li>{@code declared-method <class> <name> <descriptor>}: an advised method, declared by exactly that class;</li>
 *   <li>{@code declared-field <class> <name> [<descriptor>]}: a field an advice binds or the runtime reads
 *   reflectively; with a descriptor (an advice parameter typed other than {@code Object}), the field's type must be assignable to it,
 *   as Byte Buddy requires when it binds the field;</li>
 *   <li>{@code subclass <sluice class> <host class> <implemented methods...>}: Sluice's class extends or implements a
 *   host class; every abstract method the host's version declares must be among the implemented ones (or implemented
 *   in the host's hierarchy), else the class would fail with AbstractMethodError.</li>
 * </ul>
 */
public final class Reference {

    static final String TYPE = "type";
    static final String METHOD = "method";
    static final String FIELD = "field";
    static final String DECLARED_METHOD = "declared-method";
    static final String DECLARED_FIELD = "declared-field";
    static final String SUBCLASS = "subclass";

    private final String kind;
    private final List<String> args;

    private Reference(String kind, List<String> args) {
        this.kind = kind;
        this.args = args;
    }

    public static Reference type(String className) {
        return new Reference(TYPE, Collections.singletonList(className));
    }

    public static Reference method(String owner, String name, String descriptor) {
        return new Reference(METHOD, Arrays.asList(owner, name, descriptor));
    }

    public static Reference field(String owner, String name, String descriptor) {
        return new Reference(FIELD, Arrays.asList(owner, name, descriptor));
    }

    public static Reference declaredMethod(String owner, String name, String descriptor) {
        return new Reference(DECLARED_METHOD, Arrays.asList(owner, name, descriptor));
    }

    public static Reference declaredField(String owner, String name) {
        return new Reference(DECLARED_FIELD, Arrays.asList(owner, name));
    }

    /** A field bound to a parameter of type {@code assignableTo} (a descriptor): the field's type must fit it. */
    public static Reference declaredField(String owner, String name, String assignableTo) {
        return new Reference(DECLARED_FIELD, Arrays.asList(owner, name, assignableTo));
    }

    /** A line of a reference file, without its {@code # users} comment. */
    public static Reference parse(String line) {
        String body = line;
        int comment = body.indexOf('#');
        if (comment >= 0) {
            body = body.substring(0, comment);
        }
        String[] parts = body.trim().split("\\s+");
        int arity;
        switch (parts[0]) {
            case TYPE:
                arity = 1;
                break;
            case METHOD:
            case FIELD:
            case DECLARED_METHOD:
                arity = 3;
                break;
            case DECLARED_FIELD:
                arity = parts.length == 4 ? 3 : 2;
                break;
            case SUBCLASS:
                arity = -2;
                break;
            default:
                throw new IllegalArgumentException("unknown reference kind in '" + line + "'");
        }
        int given = parts.length - 1;
        if (arity >= 0 ? given != arity : given < -arity) {
            throw new IllegalArgumentException("malformed reference '" + line + "'");
        }
        return new Reference(parts[0], Arrays.asList(Arrays.copyOfRange(parts, 1, parts.length)));
    }

    public String line() {
        StringBuilder s = new StringBuilder(kind);
        for (String a : args) {
            s.append(' ').append(a);
        }
        return s.toString();
    }

    /** The class whose presence says the host has this area at all (for "not visible" versus "mismatch"). */
    String hostClass() {
        return kind.equals(SUBCLASS) ? args.get(1) : args.get(0);
    }

    boolean isAdvisedMethod() {
        return kind.equals(DECLARED_METHOD);
    }

    /** Null when the host satisfies this reference, else what is missing, in a few words. */
    public String check(TypePool pool) {
        try {
            TypePool.Resolution resolution = pool.describe(hostClass());
            if (!resolution.isResolved()) {
                return "class " + hostClass() + " not found";
            }
            TypeDescription type = resolution.resolve();
            switch (kind) {
                case TYPE:
                    return null;
                case METHOD:
                    return findMethod(type, args.get(1), args.get(2)) != null ? null : missingMethod();
                case FIELD:
                    return findField(type, args.get(1), args.get(2)) ? null
                            : "field " + args.get(0) + "." + args.get(1) + " (" + args.get(2) + ") not found";
                case DECLARED_METHOD:
                    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
                        if (m.getInternalName().equals(args.get(1)) && m.getDescriptor().equals(args.get(2))) {
                            return null;
                        }
                    }
                    return missingMethod();
                case DECLARED_FIELD:
                    for (FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
                        if (f.getName().equals(args.get(1))) {
                            return args.size() == 2 || fits(f.getType().asErasure(), args.get(2), pool) ? null
                                    : "field " + args.get(0) + "." + args.get(1) + " is " + f.getDescriptor()
                                    + ", not assignable to " + args.get(2);
                        }
                    }
                    return "field " + args.get(0) + "." + args.get(1) + " not found";
                default:
                    return unimplemented(type);
            }
        } catch (RuntimeException | LinkageError e) {
            // A supertype the pool cannot describe, among others: the hierarchy is incomplete.
            return "cannot resolve " + line() + " (" + e.getMessage() + ")";
        }
    }

    /** Whether a value of {@code type} may be assigned to a variable of type {@code descriptor}. */
    private static boolean fits(TypeDescription type, String descriptor, TypePool pool) {
        if (type.getDescriptor().equals(descriptor)) {
            return true;
        }
        if (!descriptor.startsWith("L") || type.isPrimitive()) {
            return false;
        }
        TypePool.Resolution target = pool.describe(descriptor.substring(1, descriptor.length() - 1).replace('/', '.'));
        return target.isResolved() && type.isAssignableTo(target.resolve());
    }

    private String missingMethod() {
        return "method " + args.get(0) + "." + args.get(1) + args.get(2) + " not found";
    }

    /** JVM method resolution: the class and its superclasses, then every superinterface. */
    private static MethodDescription findMethod(TypeDescription owner, String name, String descriptor) {
        for (TypeDefinition t = owner; t != null; t = t.getSuperClass()) {
            for (MethodDescription m : t.asErasure().getDeclaredMethods()) {
                if (m.getInternalName().equals(name) && sameSignature(m.getDescriptor(), descriptor)) {
                    return m;
                }
            }
        }
        for (TypeDescription i : allInterfaces(owner)) {
            for (MethodDescription m : i.getDeclaredMethods()) {
                if (m.getInternalName().equals(name) && sameSignature(m.getDescriptor(), descriptor)) {
                    return m;
                }
            }
        }
        return null;
    }

    /** {@code wanted} without its return type (ending at {@code ')'}) matches any return type. */
    private static boolean sameSignature(String actual, String wanted) {
        return wanted.endsWith(")") ? actual.startsWith(wanted) : actual.equals(wanted);
    }

    private static boolean findField(TypeDescription owner, String name, String descriptor) {
        List<TypeDescription> candidates = new ArrayList<TypeDescription>();
        for (TypeDefinition t = owner; t != null; t = t.getSuperClass()) {
            candidates.add(t.asErasure());
        }
        candidates.addAll(allInterfaces(owner));
        for (TypeDescription t : candidates) {
            for (FieldDescription.InDefinedShape f : t.getDeclaredFields()) {
                if (f.getName().equals(name) && f.getDescriptor().equals(descriptor)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<TypeDescription> allInterfaces(TypeDescription type) {
        List<TypeDescription> out = new ArrayList<TypeDescription>();
        Set<String> seen = new HashSet<String>();
        List<TypeDescription> todo = new ArrayList<TypeDescription>();
        for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
            todo.addAll(t.asErasure().getInterfaces().asErasures());
        }
        while (!todo.isEmpty()) {
            TypeDescription i = todo.remove(todo.size() - 1);
            if (seen.add(i.getName())) {
                out.add(i);
                todo.addAll(i.getInterfaces().asErasures());
            }
        }
        return out;
    }

    /** For {@code subclass}: the first abstract method of the host's hierarchy that nothing implements, or null. */
    private String unimplemented(TypeDescription hostSuper) {
        if (hostSuper.isFinal()) {
            return "class " + hostSuper.getName() + " is final; " + args.get(0) + " extends it";
        }
        Set<String> concrete = new HashSet<String>(args.subList(2, args.size()));
        List<MethodDescription> abstracts = new ArrayList<MethodDescription>();
        for (TypeDefinition t = hostSuper; t != null; t = t.getSuperClass()) {
            collect(t.asErasure(), concrete, abstracts);
        }
        for (TypeDescription i : allInterfaces(hostSuper)) {
            collect(i, concrete, abstracts);
        }
        if (hostSuper.isInterface()) {
            collect(hostSuper, concrete, abstracts);
        }
        for (MethodDescription m : abstracts) {
            if (!concrete.contains(m.getInternalName() + m.getDescriptor())) {
                return args.get(0) + " does not implement abstract method " + m.getDeclaringType().asErasure().getName()
                        + "." + m.getInternalName() + m.getDescriptor();
            }
        }
        return null;
    }

    private static void collect(TypeDescription type, Set<String> concrete, List<MethodDescription> abstracts) {
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (m.isStatic() || m.isConstructor() || m.isTypeInitializer()) {
                continue;
            }
            if (m.isAbstract()) {
                abstracts.add(m);
            } else {
                concrete.add(m.getInternalName() + m.getDescriptor());
            }
        }
    }

    @Override
    public String toString() {
        return line();
    }
}
