package dev.sluice.agent.references;

import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads compiled classes with ASM (the copy Byte Buddy ships) and collects every reference they make into the host's
 * packages ({@code org/apache/spark/}, {@code scala/}): the types they name (in descriptors, casts, {@code new},
 * {@code instanceof}, class literals, catch clauses), the methods they call and the fields they read or write (owner,
 * name, descriptor, exactly as the JVM will resolve them), and the host classes they extend or implement with the
 * methods they implement. Also the fields an advice binds with {@code @Advice.FieldValue} (given the class the advice
 * is applied to) with the parameter's type when it is not {@code Object}, which the JVM never sees as a reference but
 * Byte Buddy needs at transformation time.
 *
 * <p>Like OpenTelemetry's muzzle: the list is derived from what the code does, so a new call into Spark cannot be
 * forgotten in the start-up check.
 */
public final class ReferenceScanner {

    private static final String FIELD_VALUE = "Lnet/bytebuddy/asm/Advice$FieldValue;";
    private static final String OBJECT = "Ljava/lang/Object;";

    private final List<String> hostPrefixes;
    /** Reference line → the Sluice classes that make it. */
    private final SortedMap<String, SortedSet<String>> references = new TreeMap<String, SortedSet<String>>();

    /** @param hostPrefixes internal-name prefixes of the host's packages, e.g. {@code org/apache/spark/} */
    public ReferenceScanner(List<String> hostPrefixes) {
        this.hostPrefixes = new ArrayList<String>(hostPrefixes);
    }

    /** Scans one class file. */
    public void scan(byte[] classFile) {
        scan(classFile, null);
    }

    /**
     * Scans one advice class applied to {@code adviceTarget} (binary name): its {@code @Advice.FieldValue} parameters
     * become {@code declared-field} references of that class.
     */
    public void scan(byte[] classFile, String adviceTarget) {
        new ClassReader(classFile).accept(new Collector(adviceTarget), ClassReader.SKIP_FRAMES);
    }

    /** Adds a reference no bytecode shows (an advised method, a field read reflectively). */
    public void add(Reference reference, String user) {
        SortedSet<String> users = references.get(reference.line());
        if (users == null) {
            users = new TreeSet<String>();
            references.put(reference.line(), users);
        }
        users.add(user);
    }

    /** Every reference found, sorted, each with the Sluice classes that make it. */
    public SortedMap<String, SortedSet<String>> references() {
        return references;
    }

    private boolean isHost(String internalName) {
        for (String prefix : hostPrefixes) {
            if (internalName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String binary(String internalName) {
        return internalName.replace('/', '.');
    }

    private final class Collector extends ClassVisitor {
        private final String adviceTarget;
        private String user;
        private final List<String> hostSupers = new ArrayList<String>();
        private final List<String> implemented = new ArrayList<String>();

        Collector(String adviceTarget) {
            super(Opcodes.ASM9);
            this.adviceTarget = adviceTarget;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            user = binary(name);
            if (superName != null) {
                typeName(superName);
                if (isHost(superName)) {
                    hostSupers.add(superName);
                }
            }
            if (interfaces != null) {
                for (String i : interfaces) {
                    typeName(i);
                    if (isHost(i)) {
                        hostSupers.add(i);
                    }
                }
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            type(Type.getType(descriptor));
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            type(Type.getMethodType(descriptor));
            if ((access & Opcodes.ACC_ABSTRACT) == 0 && !name.startsWith("<")) {
                implemented.add(name + descriptor);
            }
            return new Instructions(descriptor);
        }

        @Override
        public void visitEnd() {
            for (String s : hostSupers) {
                StringBuilder line = new StringBuilder(Reference.SUBCLASS).append(' ').append(user).append(' ')
                        .append(binary(s));
                for (String m : new TreeSet<String>(implemented)) {
                    line.append(' ').append(m);
                }
                add(Reference.parse(line.toString()), user);
            }
        }

        private void typeName(String internalName) {
            if (internalName != null) {
                type(Type.getObjectType(internalName));
            }
        }

        private void type(Type type) {
            switch (type.getSort()) {
                case Type.ARRAY:
                    type(type.getElementType());
                    break;
                case Type.METHOD:
                    type(type.getReturnType());
                    for (Type argument : type.getArgumentTypes()) {
                        type(argument);
                    }
                    break;
                case Type.OBJECT:
                    if (isHost(type.getInternalName())) {
                        add(Reference.type(binary(type.getInternalName())), user);
                    }
                    break;
                default:
                    break;
            }
        }

        private final class Instructions extends MethodVisitor {
            private final Type[] parameters;

            Instructions(String descriptor) {
                super(Opcodes.ASM9);
                this.parameters = Type.getArgumentTypes(descriptor);
            }

            @Override
            public AnnotationVisitor visitParameterAnnotation(int parameter, String descriptor, boolean visible) {
                if (adviceTarget == null || !FIELD_VALUE.equals(descriptor)) {
                    return null;
                }
                final String bound = parameter < parameters.length ? parameters[parameter].getDescriptor() : OBJECT;
                return new AnnotationVisitor(Opcodes.ASM9) {
                    @Override
                    public void visit(String name, Object value) {
                        if ("value".equals(name)) {
                            String field = String.valueOf(value);
                            add(OBJECT.equals(bound) ? Reference.declaredField(adviceTarget, field)
                                    : Reference.declaredField(adviceTarget, field, bound), user);
                        }
                    }
                };
            }

            @Override
            public void visitTypeInsn(int opcode, String typeName) {
                type(Type.getObjectType(typeName));
            }

            @Override
            public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
                type(Type.getType(descriptor));
            }

            @Override
            public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
                typeName(owner);
                type(Type.getType(descriptor));
                if (isHost(owner)) {
                    add(Reference.field(binary(owner), name, descriptor), user);
                }
            }

            @Override
            public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
                                        boolean isInterface) {
                method(owner, name, descriptor);
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap,
                                               Object... arguments) {
                type(Type.getMethodType(descriptor));
                handle(bootstrap);
                for (Object argument : arguments) {
                    constant(argument);
                }
            }

            @Override
            public void visitLdcInsn(Object value) {
                constant(value);
            }

            @Override
            public void visitTryCatchBlock(Label start, Label end, Label handler, String exceptionType) {
                typeName(exceptionType);
            }

            private void constant(Object value) {
                if (value instanceof Type) {
                    type((Type) value);
                } else if (value instanceof Handle) {
                    handle((Handle) value);
                }
            }

            private void handle(Handle h) {
                if (h.getTag() <= Opcodes.H_PUTSTATIC) {
                    typeName(h.getOwner());
                    type(Type.getType(h.getDesc()));
                    if (isHost(h.getOwner())) {
                        add(Reference.field(binary(h.getOwner()), h.getName(), h.getDesc()), user);
                    }
                } else {
                    method(h.getOwner(), h.getName(), h.getDesc());
                }
            }

            private void method(String owner, String name, String descriptor) {
                if (owner.startsWith("[")) {
                    type(Type.getObjectType(owner));
                    return; // clone() on an array: nothing of the host's to resolve
                }
                typeName(owner);
                type(Type.getMethodType(descriptor));
                if (isHost(owner)) {
                    add(Reference.method(binary(owner), name, descriptor), user);
                }
            }
        }
    }

    /** The references as the lines of a reference file: {@code <reference>  # <users>}. */
    public List<String> lines() {
        List<String> out = new ArrayList<String>();
        for (Map.Entry<String, SortedSet<String>> e : references.entrySet()) {
            StringBuilder users = new StringBuilder();
            for (String u : e.getValue()) {
                users.append(users.length() == 0 ? "" : ",").append(u);
            }
            out.add(e.getKey() + "  # " + users);
        }
        return out;
    }
}
