// Compile-time stand-in for the parts of Foundation the vendor SDK's Objective-C uses (no Apple SDK here).
typedef signed char BOOL;
typedef unsigned long NSUInteger;
#define YES __objc_yes
#define NO __objc_no
@interface NSObject { void *isa; } @end
@interface NSString : NSObject @end
@interface NSNumber : NSObject
+ (NSNumber *)numberWithBool:(BOOL)value;
@end
@interface NSArray : NSObject
+ (id)arrayWithObjects:(const id[])objects count:(NSUInteger)count;
@end
@interface NSDictionary : NSObject
+ (id)dictionaryWithObjects:(const id[])objects forKeys:(const id[])keys count:(NSUInteger)count;
@end
